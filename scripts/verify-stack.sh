#!/usr/bin/env bash
# Checks a running stack, embedded or compose, the way a user would: every component answers, a scripted session
# through both APIs is found again in ClickHouse (exactly, rollups included) and agrees with PostgreSQL, every
# dashboard panel runs (through Grafana when it is up). Prints a table; exits non-zero when any check failed.
# Components that are not running (Grafana and Kafka UI without Docker) are reported as not checked.
#
# Usage: scripts/verify-stack.sh [--help]
#   STACK_HOST (default localhost) and the port variables of .env (CRUD_API_PORT, KAFKA_PORT, CLICKHOUSE_HTTP_PORT,
#   GRAFANA_PORT, KAFKA_UI_PORT, ...) and credentials (CLICKHOUSE_ADMIN_USER/PASSWORD, GRAFANA_ADMIN_USER/PASSWORD)
#   say where to look.
set -o errexit -o nounset -o pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
if [[ -f "${root}/.env" ]]; then
  set -o allexport
  # shellcheck disable=SC1091
  source "${root}/.env"
  set +o allexport
fi

jar="$(ls -t "${root}"/embedded-stack/stack/target/embedded-stack-*-exec.jar 2>/dev/null | head -n 1 || true)"
if [[ -z "${jar}" ]]; then
  echo "verify-stack: building the embedded-stack module once (./mvnw -q install -DskipTests)" >&2
  (cd "${root}" && ./mvnw -q install -DskipTests -Dspotless.check.skip=true -pl embedded-stack/stack -am)
  jar="$(ls -t "${root}"/embedded-stack/stack/target/embedded-stack-*-exec.jar | head -n 1)"
fi
java_bin="${JAVA_HOME:+${JAVA_HOME}/bin/}java"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  java_bin=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
fi
cd "${root}"
# The exec jar's main class is the embedded stack; Spring Boot's PropertiesLauncher runs another one from it.
exec "${java_bin}" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dloader.main=io.chanalytics.stack.StackVerifier -cp "${jar}" org.springframework.boot.loader.launch.PropertiesLauncher
