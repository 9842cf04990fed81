#!/usr/bin/env bash
# Shows the logs of the running stack (compose or embedded) with the same service names in both modes:
# kafka, schema-registry, postgres, clickhouse, crud-api, ecommerce-api; in compose also the others the compose file
# names (kafka-init, clickhouse-schema, keycloak, grafana, kafka-ui, prometheus, alertmanager, kafka-exporter,
# simulator); in the embedded stack also "stack" (its own JVM; alert notifications are marked ALERT), prometheus,
# alertmanager and keycloak where they run.
# No service: all of them.
#
# Usage: scripts/logs.sh [service] [-f]
#   -f, --follow   keep printing new lines (Ctrl-C ends)
# Environment: LOG_LINES (lines of each log shown first, default 100), CHANALYTICS_DATA_DIR.
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

embedded_services=(stack kafka schema-registry postgres clickhouse crud-api ecommerce-api prometheus alertmanager keycloak)
service=""
follow="no"
for argument in "$@"; do
  case "${argument}" in
    -f | --follow) follow="yes" ;;
    -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "logs: unknown option ${argument} (see --help)" >&2; exit 2 ;;
    *) service="${argument}" ;;
  esac
done
lines="${LOG_LINES:-100}"

if compose_running; then
  # The services as compose itself lists them, so a service added to the compose file needs no change here.
  mapfile -t compose_services < <(compose --profile simulator config --services)
  if [[ -n "${service}" && ! " ${compose_services[*]} " =~ " ${service} " ]]; then
    echo "logs: unknown service '${service}' (known: ${compose_services[*]})" >&2
    exit 2
  fi
  options=(--tail "${lines}")
  [[ "${follow}" == "yes" ]] && options+=(--follow)
  compose --profile simulator logs "${options[@]}" ${service:+"${service}"}
  exit 0
fi

if [[ ! -d "${data_dir}/logs" ]]; then
  echo "logs: no stack has run here yet (no ${data_dir}/logs); start one with scripts/start.sh" >&2
  exit 1
fi
if [[ -n "${service}" ]]; then
  if [[ ! " ${embedded_services[*]} " =~ " ${service} " ]]; then
    echo "logs: unknown service '${service}' (known here: ${embedded_services[*]})" >&2
    exit 2
  fi
  files=("${data_dir}/logs/${service}.log")
else
  files=()
  for name in "${embedded_services[@]}"; do
    [[ -f "${data_dir}/logs/${name}.log" ]] && files+=("${data_dir}/logs/${name}.log")
  done
fi
for file in "${files[@]}"; do
  [[ -f "${file}" ]] || { echo "logs: ${file} does not exist yet (has the stack started?)" >&2; exit 1; }
done
if [[ "${follow}" == "yes" ]]; then
  exec tail -n "${lines}" -F "${files[@]}"
fi
tail -n "${lines}" "${files[@]}"
