#!/usr/bin/env bash
# Runs the whole stack with one command.
#
#   With a Docker engine that answers (`docker info`): docker compose up -d --build (every container, Grafana and
#   Kafka UI included; see docker-compose.yml).
#   Without one: builds the services and the embedded stack, then runs Kafka (KRaft), the schema registry,
#   PostgreSQL and the ClickHouse engine (chDB) in one JVM on the same ports, with both services as child
#   processes, until Ctrl-C. Data lives in ./.data (delete it for a fresh start).
#
# Usage: scripts/run-stack.sh [--compose | --embedded] [--skip-build]
#   --compose     use docker compose, fail if no engine answers
#   --embedded    use the embedded stack even when Docker is available
#   --skip-build  embedded mode: reuse the jars already built
# Environment: CHDB_LIBRARY_PATH (a libchdb.so you have; otherwise scripts/fetch-chdb.sh caches one), JAVA_HOME (a
# JDK 25), the port variables of .env.example (KAFKA_PORT, CLICKHOUSE_HTTP_PORT, ...), CHANALYTICS_DATA_DIR,
# STACK_SKIP_SERVICES=true to run only the infrastructure.
set -o errexit -o nounset -o pipefail

# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
cd "${root}"

mode="auto"
build="yes"
for argument in "$@"; do
  case "${argument}" in
    --compose) mode="compose" ;;
    --embedded) mode="embedded" ;;
    --skip-build) build="no" ;;
    -h | --help)
      sed -n '2,/^set -o/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "run-stack: unknown option ${argument} (see --help)" >&2
      exit 2
      ;;
  esac
done

run_compose() {
  compose up -d --build
  compose ps
  cat <<EOF

Stack starting in containers (docker compose ps shows health):
  crud-api        http://localhost:8001/docs
  ecommerce-api   http://localhost:8002/docs
  Grafana         http://localhost:3000  (admin / admin unless .env says otherwise)
  Kafka UI        http://localhost:8080
  ClickHouse      http://localhost:8123  (user analytics)
Load: docker compose --profile simulator up simulator     Stop: docker compose down
EOF
}

find_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
    if [[ -n "${candidate}" && -x "${candidate}/bin/java" ]] && java_is_25_or_newer "${candidate}/bin/java"; then
      echo "${candidate}/bin/java"
      return
    fi
  done
  if command -v java >/dev/null 2>&1 && java_is_25_or_newer java; then
    command -v java
    return
  fi
  echo "run-stack: a JDK 25 or newer is needed (the ClickHouse engine is loaded through the FFM API); set JAVA_HOME" >&2
  exit 1
}

java_is_25_or_newer() {
  local version
  version="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ -n "${version}" && "${version%%.*}" -ge 25 ]]
}

run_embedded() {
  local java jar
  java="$(find_java)"
  if [[ "${build}" == "yes" ]]; then
    echo "run-stack: building the services and the embedded stack (./mvnw -q install -DskipTests) ..." >&2
    # Tests and the formatter check belong to ./mvnw verify; running the stack only needs the jars.
    JAVA_HOME="$(dirname "$(dirname "${java}")")" ./mvnw -q install -DskipTests -Dspotless.check.skip=true \
      -pl apis/crud-api,apis/ecommerce-api,embedded-stack/stack -am
  fi
  jar="$(find embedded-stack/stack/target -maxdepth 1 -name 'embedded-stack-*-exec.jar' -print -quit)"
  [[ -n "${jar}" ]] || { echo "run-stack: no embedded stack jar; run without --skip-build" >&2; exit 1; }
  CHDB_LIBRARY_PATH="$(scripts/fetch-chdb.sh)"
  export CHDB_LIBRARY_PATH
  echo "run-stack: no Docker engine answers (or --embedded): starting the embedded stack; Ctrl-C stops it" >&2
  local -a java_options=()
  # STACK_JAVA_OPTS: extra JVM options for the stack's own JVM, e.g. "-Xmx2g", split on spaces.
  read -r -a java_options <<<"${STACK_JAVA_OPTS:-}"
  # Each part of the stack logs to <data dir>/logs/<service>.log (logback.xml), what scripts/logs.sh reads.
  export CHANALYTICS_LOG_DIR="${data_dir}/logs"
  # A native crash (the ClickHouse engine is native code) ends the JVM without shutdown hooks: this stops the
  # services (its child processes) and PostgreSQL (a daemon, found through its pid file) so none is left behind.
  local on_crash="pkill -TERM -P %p; kill -TERM \$(head -n 1 '${data_dir}/postgres/postmaster.pid')"
  exec "${java}" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    "-XX:OnError=${on_crash}" -XX:ErrorFile="${data_dir}/logs/hs_err_pid%p.log" \
    "${java_options[@]}" -jar "${jar}"
}

case "${mode}" in
  compose)
    docker_answers || { echo "run-stack: --compose given but 'docker info' fails" >&2; exit 1; }
    run_compose
    ;;
  embedded) run_embedded ;;
  auto)
    if docker_answers; then run_compose; else run_embedded; fi
    ;;
esac
