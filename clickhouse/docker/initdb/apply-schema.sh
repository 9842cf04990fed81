#!/usr/bin/env bash
# Applies the numbered schema files (NNN_name.sql) in order, with their ${VAR} placeholders filled from the
# environment, through clickhouse-client. Mounted into /docker-entrypoint-initdb.d of the ClickHouse image, which
# runs it on an empty data volume and, with CLICKHOUSE_ALWAYS_RUN_INITDB_SCRIPTS (compose sets it), on every start.
# Each file runs once: like the Java runner (SchemaMigrations) it records the file and the SHA-256 of its text in
# analytics.schema_migrations, skips recorded files, and stops on a recorded file whose text changed.
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

  # The ledger, with the Java runner's statements (DockerInitTests checks both runners against one ledger).
  ledger=analytics.schema_migrations
  declare -A applied=()
  ledger_exists="$(printf '%s\n' "EXISTS TABLE ${ledger}" | "${client[@]}")"
  if [[ "${ledger_exists}" == 1 ]]; then
    while IFS=$'\t' read -r name checksum || [[ -n "${name}" ]]; do
      [[ -n "${name}" ]] && applied["${name}"]="${checksum}"
    done < <(printf '%s\n' "SELECT file, checksum FROM ${ledger} ORDER BY file" | "${client[@]}")
  fi

  for file in "${files[@]}"; do
    checksum="$(sha256sum "${file}")"
    checksum="${checksum%% *}"
    if [[ -n "${applied[${file##*/}]:-}" ]]; then
      if [[ "${applied[${file##*/}]}" != "${checksum}" ]]; then
        echo "apply-schema: ${file##*/} was edited after it was applied (recorded SHA-256 ${applied[${file##*/}]}," \
          "now ${checksum}): an applied file never runs again; restore it and put the change in a new file" >&2
        exit 1
      fi
      continue
    fi
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
    if [[ "${ledger_exists}" != 1 ]]; then
      # Created after the first file ran: 001 creates the database it lives in.
      printf '%s\n' "CREATE TABLE IF NOT EXISTS ${ledger} (file String, checksum String, applied_at DateTime64(3) DEFAULT now64(3)) ENGINE = MergeTree ORDER BY file" \
        | "${client[@]}"
      ledger_exists=1
    fi
    printf '%s\n' "INSERT INTO ${ledger} (file, checksum) VALUES ('${file##*/}', '${checksum}')" | "${client[@]}"
  done
)
