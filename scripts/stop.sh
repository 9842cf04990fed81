#!/usr/bin/env bash
# Stops whichever stack runs, cleanly, leaving no process behind: docker compose down for the compose stack (data
# volumes are kept), or the embedded stack started by scripts/start.sh (its services, engine, PostgreSQL and broker
# stop in order; data in .data is kept), including what an embedded stack that crashed left running.
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
    echo "stop: still running after ${STACK_STOP_TIMEOUT:-90} s: killing it (its services and PostgreSQL next)" >&2
    kill -KILL "${pid}" 2>/dev/null || true
    while kill -0 "${pid}" 2>/dev/null; do sleep 0.2; done
  fi
  stopped="yes"
fi
rm -f "${pid_file}"

# What a stack that died without stopping it left running (its services, PostgreSQL), from what the stack recorded
# (StackParts): after a crash, the OOM killer or the kill above.
jar="$(stack_jar)"
if [[ -f "${data_dir}/stack-parts.pid" && -n "${jar}" ]]; then
  # Exits 3 when the recorded stack still runs: one started in the foreground (scripts/run-stack.sh) has no pid file.
  leftovers="$("$(java25)" -jar "${jar}" --stop-leftovers "${data_dir}")" || {
    echo "stop: ${leftovers}; Ctrl-C in its terminal stops it" >&2
    exit 1
  }
  if [[ -n "${leftovers}" ]]; then
    echo "stop: the stack had ended without stopping every part: ${leftovers//$'\n'/, }"
    stopped="yes"
  fi
fi

if [[ "${stopped}" == "yes" ]]; then
  echo "stop: stopped"
else
  echo "stop: nothing is running"
fi
