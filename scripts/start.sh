#!/usr/bin/env bash
# Starts the whole stack and returns once everything is healthy, like `docker compose up -d --wait`.
#
#   With a Docker engine that answers: docker compose up -d --build --wait (Grafana and Kafka UI included).
#   Without one: the embedded stack (Kafka, schema registry, PostgreSQL, ClickHouse engine, both services) runs in
#   the background; its pid is in .data/stack.pid and each part logs to .data/logs/<service>.log
#   (scripts/logs.sh reads them, scripts/stop.sh stops it).
#
# Usage: scripts/start.sh [--foreground] [--embedded | --compose] [--skip-build]
#   --foreground  embedded stack in this terminal until Ctrl-C (what scripts/run-stack.sh does)
#   --embedded    the embedded stack even when Docker answers;  --compose  fail unless Docker answers
#   --skip-build  embedded: reuse the jars already built
# Environment: STACK_START_TIMEOUT (seconds, default 900), CHANALYTICS_DATA_DIR, JAVA_HOME (a JDK 25), the ports of
# .env.example.
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

mode="auto"
foreground="no"
run_options=()
for argument in "$@"; do
  case "${argument}" in
    --foreground) foreground="yes" ;;
    --embedded) mode="embedded" ;;
    --compose) mode="compose" ;;
    --skip-build) run_options+=(--skip-build) ;;
    -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "start: unknown option ${argument} (see --help)" >&2; exit 2 ;;
  esac
done

if [[ "${mode}" == "compose" ]] || { [[ "${mode}" == "auto" ]] && docker_answers; }; then
  docker_answers || { echo "start: --compose given but no Docker engine answers ('docker info' fails)" >&2; exit 1; }
  compose up --detach --build --wait
  compose ps
  exit 0
fi

if [[ "${foreground}" == "yes" ]]; then
  exec "${root}/scripts/run-stack.sh" --embedded "${run_options[@]}"
fi

if pid="$(embedded_pid)" && [[ -n "${pid}" ]]; then
  echo "start: the embedded stack already runs (pid ${pid}); scripts/stop.sh stops it"
  exit 0
fi
mkdir -p "${data_dir}/logs"
log="${data_dir}/logs/stack.log"
: >"${log}"
# setsid: the stack gets a session of its own, so it outlives this script and its terminal.
setsid nohup "${root}/scripts/run-stack.sh" --embedded "${run_options[@]}" >"${log}" 2>&1 </dev/null &
echo $! >"${pid_file}"
pid="$(<"${pid_file}")"
echo "start: embedded stack starting (pid ${pid}, log ${log}) ..."

deadline=$((SECONDS + ${STACK_START_TIMEOUT:-900}))
until grep -q '^Embedded stack is up' "${log}"; do
  if ! kill -0 "${pid}" 2>/dev/null; then
    rm -f "${pid_file}"
    echo "start: the embedded stack stopped while starting; the end of ${log}:" >&2
    tail -n 30 "${log}" >&2
    exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "start: not up after ${STACK_START_TIMEOUT:-900} s; stopping it (see ${log})" >&2
    "${root}/scripts/stop.sh" >&2 || true
    exit 1
  fi
  sleep 1
done
sed -n '/^Embedded stack is up/,/^Load:/p' "${log}"
echo "Logs: scripts/logs.sh [service] [-f]    Stop: scripts/stop.sh"
