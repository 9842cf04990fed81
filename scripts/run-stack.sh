#!/usr/bin/env bash
# Runs the whole stack in this terminal until Ctrl-C: `scripts/start.sh --foreground`.
#
#   With a Docker engine that answers: docker compose up --build, attached.
#   Without one: builds the services and the embedded stack, then runs Kafka (KRaft), the schema registry,
#   PostgreSQL and the ClickHouse engine (chDB) in one JVM on the same ports, with both services as child
#   processes. Data lives in ./.data (delete it for a fresh start).
#
# Usage: scripts/run-stack.sh [--compose | --embedded] [--skip-build]   (the options and variables of start.sh)
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
case "${1:-}" in
  -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
esac
exec "${root}/scripts/start.sh" --foreground "$@"
