#!/usr/bin/env bash
# Sends the messages ClickHouse rejected (analytics.ingest_errors) back through ingestion once, after a schema or
# producer fix, and reports how many parse now and how many failed again. Works against either mode's stack.
# ClickHouse records each copy as it consumes it (analytics.ingest_replays), so a second run skips what was
# replayed; the originals stay in ingest_errors. Exit status 0 when every copy parsed (or none was left), 1 otherwise.
#
# Usage: scripts/replay-ingest-errors.sh --topic TOPIC [--from WHEN] [--to WHEN] [--retry-failed] [--dry-run]
#                                        [--limit N] [--wait SECONDS]
#   --topic         request-events, business-events or system-metrics
#   --from, --to    when ClickHouse received the messages: an instant (2026-12-02T10:00:00Z) or a time back from
#                   now (90m, 6h, 7d); default: everything kept, up to now
#   --retry-failed  also replay messages whose earlier replays failed again (after a second fix)
#   --dry-run       count what would be replayed, send nothing
#   --limit         at most this many messages in one run (default 100000; run again for the rest)
#   --wait          seconds to wait for ClickHouse to consume the copies (default 120)
#   STACK_HOST (default localhost), KAFKA_PORT, CLICKHOUSE_HTTP_PORT and the ClickHouse admin user of .env say where.
set -o errexit -o nounset -o pipefail

# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  usage_from_header "${BASH_SOURCE[0]}"
  exit 0
fi

exec_stack_main replay-ingest-errors io.chanalytics.stack.replay.IngestErrorReplay "$@"
