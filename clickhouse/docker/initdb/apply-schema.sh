#!/usr/bin/env bash
# Applies the numbered schema files (NNN_name.sql) in order, with their ${VAR} placeholders filled from the
# environment, through clickhouse-client. Mounted into /docker-entrypoint-initdb.d of the ClickHouse image, which
# runs it once on an empty data volume. Every statement is IF NOT EXISTS, so running it again is harmless.
# The variables and their defaults are in variables.env next to the schema files (the Java SchemaVariables reads it too).
#
#   CHANALYTICS_SCHEMA_DIR   where the .sql files are mounted (default /schema)
#   CHANALYTICS_SQL_CLIENT   the command the SQL is piped into (default: clickhouse-client for the image's user)
#
# It runs in a subshell: the image's entrypoint may source it, and its options and exits must not leak there.
(
  set -o errexit -o nounset -o pipefail

  schema_dir="${CHANALYTICS_SCHEMA_DIR:-/schema}"

  # Names and defaults: variables.env beside the schema files (the Java runner reads the same file); a variable
  # already set in the environment wins.
  variables=()
  while IFS='=' read -r name value; do
    [[ -z "${name}" || "${name}" == \#* ]] && continue
    [[ -n "${!name:-}" ]] || printf -v "${name}" '%s' "${value}"
    variables+=("${name}")
  done < "${schema_dir}/variables.env"

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
