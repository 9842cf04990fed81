#!/usr/bin/env bash
# Checks a running stack, embedded or compose, the way a user would: every component answers, a scripted session
# through both APIs is found again in ClickHouse (exactly, rollups included) and agrees with PostgreSQL, every
# dashboard panel runs (through Grafana when it is up). Prints a table; exits non-zero when any check failed.
# Components that are not running (Grafana and Kafka UI without Docker) are reported as not checked.
#
# Usage: scripts/verify-stack.sh [--help]
#   STACK_HOST (default localhost), and the ports and credentials of .env (CRUD_API_PORT, CLICKHOUSE_HTTP_PORT,
#   GRAFANA_ADMIN_PASSWORD, ...; the verifier reads the file itself, a variable set in the environment wins) say where
#   to look.
set -o errexit -o nounset -o pipefail

# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  usage_from_header "${BASH_SOURCE[0]}"
  exit 0
fi

exec_stack_main verify-stack io.chanalytics.stack.verify.StackVerifier "$@"
