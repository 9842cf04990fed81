#!/usr/bin/env bash
# Starts the whole stack and returns once everything is healthy, like `docker compose up -d --wait`.
#
#   With a Docker engine that answers: docker compose up -d --build --wait (Grafana and Kafka UI included).
#   Without one: the embedded stack (Kafka, schema registry, PostgreSQL, ClickHouse engine, both services) runs in
#   the background; its pid is in .data/stack.pid and each part logs to .data/logs/<service>.log
#   (scripts/logs.sh reads them, scripts/stop.sh stops it).
#
# Usage: scripts/start.sh [--foreground] [--embedded | --compose] [--skip-build]
#   --foreground  in this terminal until Ctrl-C (what scripts/run-stack.sh does)
#   --embedded    the embedded stack even when Docker answers;  --compose  fail unless Docker answers
#   --skip-build  embedded: reuse the jars already built
# Environment: STACK_START_TIMEOUT (seconds, default 900), CHANALYTICS_DATA_DIR, JAVA_HOME (a JDK 25), any variable
# of .env (the environment wins over the file), CHDB_LIBRARY_PATH (a libchdb.so you have; otherwise scripts/fetch-chdb.sh caches one),
# STACK_SKIP_SERVICES=true to run only the infrastructure, STACK_JAVA_OPTS (options of the stack's JVM, e.g. -Xmx2g).
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
cd "${root}"

mode="auto"
foreground="no"
build="yes"
for argument in "$@"; do
  case "${argument}" in
    --foreground) foreground="yes" ;;
    --embedded) mode="embedded" ;;
    --compose) mode="compose" ;;
    --skip-build) build="no" ;;
    -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "$(basename "$0"): unknown option ${argument} (see --help)" >&2; exit 2 ;;
  esac
done

# The embedded stack in this process, until Ctrl-C: build, then one JVM (the services are its child processes).
run_embedded() {
  local java jar
  java="$(java25)"
  if [[ "${build}" == "yes" ]]; then
    echo "start: building the services and the embedded stack (./mvnw -q install -DskipTests) ..." >&2
    # Tests and the formatter check belong to ./mvnw verify; running the stack only needs the jars.
    JAVA_HOME="$(dirname "$(dirname "${java}")")" ./mvnw -q install -DskipTests -Dspotless.check.skip=true \
      -pl apis/crud-api,apis/ecommerce-api,embedded-stack/stack -am
  fi
  jar="$(stack_jar)"
  [[ -n "${jar}" ]] || { echo "start: no embedded stack jar; run without --skip-build" >&2; exit 1; }
  CHDB_LIBRARY_PATH="$(scripts/fetch-chdb.sh)"
  export CHDB_LIBRARY_PATH
  echo "start: starting the embedded stack; Ctrl-C stops it" >&2
  local -a java_options=()
  read -r -a java_options <<<"${STACK_JAVA_OPTS:-}"
  # Each part of the stack logs to <data dir>/logs/<service>.log (logback.xml), what scripts/logs.sh reads.
  export CHANALYTICS_LOG_DIR="${data_dir}/logs"
  # A native crash (the ClickHouse engine is native code) ends the JVM without shutdown hooks: this stops the
  # services (its child processes) and PostgreSQL (a daemon, found through its pid file) so none is left behind.
  # Native access (the engine's FFM calls) is granted by the jar's manifest (Enable-Native-Access).
  local on_crash="pkill -TERM -P %p; kill -TERM \$(head -n 1 '${data_dir}/postgres/postmaster.pid')"
  exec "${java}" --sun-misc-unsafe-memory-access=allow \
    "-XX:OnError=${on_crash}" -XX:ErrorFile="${data_dir}/logs/hs_err_pid%p.log" \
    "${java_options[@]}" -jar "${jar}"
}

# ClickHouse 26.6 and later are built for x86-64-v3: on a CPU without AVX2 the server (or the embedded engine) dies
# with SIGILL, exit code 132, before it logs anything useful.
explain_illegal_instruction() {
  echo "start: $1 died of an illegal instruction (exit code 132 / SIGILL): ClickHouse 26.6 and later need a CPU with" \
    "AVX2 (x86-64-v3). See README.md, Troubleshooting, for the image to use instead." >&2
}

if [[ "${mode}" == "compose" ]] || { [[ "${mode}" == "auto" ]] && docker_answers; }; then
  docker_answers || { echo "start: --compose given but no Docker engine answers ('docker info' fails)" >&2; exit 1; }
  if [[ "${foreground}" == "yes" ]]; then
    exec_compose up --build
  fi
  if ! compose up --detach --build --wait; then
    for container in $(compose ps --all --quiet); do
      read -r code name <<<"$(docker inspect --format '{{.State.ExitCode}} {{.Name}}' "${container}")"
      [[ "${code}" == "132" ]] && explain_illegal_instruction "container ${name#/}"
    done
    exit 1
  fi
  compose ps
  exit 0
fi

if [[ "${foreground}" == "yes" ]]; then
  run_embedded
fi

if pid="$(embedded_pid)" && [[ -n "${pid}" ]]; then
  echo "start: the embedded stack already runs (pid ${pid}); scripts/stop.sh stops it"
  exit 0
fi
mkdir -p "${data_dir}/logs"
log="${data_dir}/logs/stack.log"
: >"${log}"
skip_build=()
[[ "${build}" == "yes" ]] || skip_build=(--skip-build)
# setsid: the stack gets a session of its own, so it outlives this script and its terminal.
setsid nohup "${root}/scripts/start.sh" --foreground --embedded "${skip_build[@]}" >"${log}" 2>&1 </dev/null &
echo $! >"${pid_file}"
pid="$(<"${pid_file}")"
echo "start: embedded stack starting (pid ${pid}, log ${log}) ..."

deadline=$((SECONDS + ${STACK_START_TIMEOUT:-900}))
until grep -q '^Embedded stack is up' "${log}"; do
  if ! kill -0 "${pid}" 2>/dev/null; then
    rm -f "${pid_file}"
    echo "start: the embedded stack stopped while starting; the end of ${log}:" >&2
    tail -n 30 "${log}" >&2
    if grep -qs 'SIGILL' "${data_dir}"/logs/hs_err_pid*.log; then
      explain_illegal_instruction "the embedded stack (the ClickHouse engine, chDB)"
    fi
    exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "start: not up after ${STACK_START_TIMEOUT:-900} s; stopping it (see ${log})" >&2
    "${root}/scripts/stop.sh" >&2 || true
    exit 1
  fi
  sleep 1
done
# After a crash the stack first stops what the dead one left running (StackParts): say so.
grep -o 'An earlier stack ended without stopping its parts.*' "${log}" | sed 's/^/start: /' || true
sed -n '/^Embedded stack is up/,/^Load:/p' "${log}"
echo "Logs: scripts/logs.sh [service] [-f]    Stop: scripts/stop.sh"
