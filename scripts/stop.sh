#!/usr/bin/env bash
# Stops whichever stack runs, cleanly, leaving no process behind: docker compose down for the compose stack (data
# volumes are kept), or the embedded stack started by scripts/start.sh (its services, engine, PostgreSQL and broker
# stop in order; data in .data is kept).
#
# Usage: scripts/stop.sh [--help]
# Environment: STACK_STOP_TIMEOUT (seconds before the embedded stack is killed, default 90), CHANALYTICS_DATA_DIR.
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

case "${1:-}" in
  -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
  "") ;;
  *) echo "stop: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

stopped="no"
if compose_running; then
  compose --profile simulator down
  stopped="yes"
fi

pid="$(embedded_pid)"
if [[ -n "${pid}" ]]; then
  echo "stop: stopping the embedded stack (pid ${pid}) ..."
  # The stack's JVM may still be the build (bash running Maven) or already java (run-stack.sh execs it).
  kill -TERM "${pid}"
  deadline=$((SECONDS + ${STACK_STOP_TIMEOUT:-90}))
  while kill -0 "${pid}" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 1
  done
  if kill -0 "${pid}" 2>/dev/null; then
    echo "stop: still running after ${STACK_STOP_TIMEOUT:-90} s: killing it and its services" >&2
    pkill -KILL -P "${pid}" 2>/dev/null || true
    kill -KILL "${pid}" 2>/dev/null || true
    if [[ -f "${data_dir}/postgres/postmaster.pid" ]]; then
      kill -TERM "$(head -n 1 "${data_dir}/postgres/postmaster.pid")" 2>/dev/null || true
    fi
  fi
  stopped="yes"
fi
rm -f "${pid_file}"

if [[ "${stopped}" == "yes" ]]; then
  echo "stop: stopped"
else
  echo "stop: nothing is running"
fi
