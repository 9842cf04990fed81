#!/usr/bin/env bash
# Applies the numbered schema files (NNN_name.sql) in order, with their ${VAR} placeholders filled from the
# environment, through clickhouse-client. Mounted into /docker-entrypoint-initdb.d of the ClickHouse image, which
# runs it once on an empty data volume. Every statement is IF NOT EXISTS, so running it again is harmless.
# The variables and their defaults are listed in clickhouse/README.md (the Java SchemaVariables uses the same).
#
#   CHANALYTICS_SCHEMA_DIR   where the .sql files are mounted (default /schema)
#   CHANALYTICS_SQL_CLIENT   the command the SQL is piped into (default: clickhouse-client for the image's user)
#
# It runs in a subshell: the image's entrypoint may source it, and its options and exits must not leak there.
(
  set -o errexit -o nounset -o pipefail

  schema_dir="${CHANALYTICS_SCHEMA_DIR:-/schema}"

  : "${CH_KAFKA_BROKER_LIST:=kafka:29092}"
  : "${CH_SCHEMA_REGISTRY_URL:=http://schema-registry:8081}"
  : "${CH_KAFKA_FLUSH_INTERVAL_MS:=1000}"
  : "${CH_TOPIC_REQUEST_EVENTS:=request-events}"
  : "${CH_TOPIC_BUSINESS_EVENTS:=business-events}"
  : "${CH_TOPIC_SYSTEM_METRICS:=system-metrics}"
  : "${CH_GROUP_REQUEST_METRICS:=clickhouse_request_metrics}"
  : "${CH_GROUP_BUSINESS_EVENTS:=clickhouse_business_events}"
  : "${CH_GROUP_SYSTEM_METRICS:=clickhouse_system_metrics}"
  : "${CH_RAW_TTL_DAYS:=90}"
  : "${CH_ROLLUP_TTL_DAYS:=730}"
  : "${CH_INGEST_ERRORS_TTL_DAYS:=14}"
  variables=(CH_KAFKA_BROKER_LIST CH_SCHEMA_REGISTRY_URL CH_KAFKA_FLUSH_INTERVAL_MS
    CH_TOPIC_REQUEST_EVENTS CH_TOPIC_BUSINESS_EVENTS CH_TOPIC_SYSTEM_METRICS
    CH_GROUP_REQUEST_METRICS CH_GROUP_BUSINESS_EVENTS CH_GROUP_SYSTEM_METRICS
    CH_RAW_TTL_DAYS CH_ROLLUP_TTL_DAYS CH_INGEST_ERRORS_TTL_DAYS)

  if [[ -n "${CHANALYTICS_SQL_CLIENT:-}" ]]; then
    read -r -a client <<< "${CHANALYTICS_SQL_CLIENT}"
  else
    client=(clickhouse-client --host 127.0.0.1 --user "${CLICKHOUSE_USER:-default}"
      --password "${CLICKHOUSE_PASSWORD:-}" --multiquery)
  fi

  shopt -s nullglob
  files=("${schema_dir}"/[0-9][0-9][0-9]_*.sql)
  if (( ${#files[@]} == 0 )); then
    echo "apply-schema: no NNN_name.sql files in ${schema_dir}" >&2
    exit 1
  fi

  for file in "${files[@]}"; do
    sql="$(<"${file}")"
    for name in "${variables[@]}"; do
      value="${!name}"
      # Same escaping as the Java runner: the value cannot leave the string literal it sits in.
      # Replacements are quoted so bash 5.2 treats & and \ in them literally.
      value="${value//\\/"\\\\"}"
      value="${value//\'/"\\'"}"
      sql="${sql//"\${${name}}"/"${value}"}"
    done
    if [[ "${sql}" =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; then
      echo "apply-schema: ${file##*/} uses \${${BASH_REMATCH[1]}}, which has no value" >&2
      exit 1
    fi
    echo "apply-schema: ${file##*/}" >&2
    printf '%s\n' "${sql}" | "${client[@]}"
  done
)
