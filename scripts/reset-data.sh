#!/usr/bin/env bash
# Removes all data of the stack: the compose volumes (docker compose down --volumes) and the embedded stack's data
# directory (.data: Kafka, registry, PostgreSQL, ClickHouse, logs). Asks first; refuses while a stack runs.
#
# Usage: scripts/reset-data.sh [--yes]
#   --yes   do not ask (scripts, CI)
# Environment: CHANALYTICS_DATA_DIR.
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

confirmed="no"
case "${1:-}" in
  --yes | -y) confirmed="yes" ;;
  -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
  "") ;;
  *) echo "reset-data: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

pid="$(embedded_pid)"
if [[ -n "${pid}" ]]; then
  echo "reset-data: the embedded stack is running (pid ${pid}); stop it first with scripts/stop.sh" >&2
  exit 1
fi
if [[ -f "${data_dir}/stack-parts.pid" ]]; then
  # Written by a running stack and removed when it stops cleanly: a stack that died may have left parts running.
  echo "reset-data: an embedded stack ended without stopping every part; scripts/stop.sh stops what it left first" >&2
  exit 1
fi
compose_stack="no"
if [[ "${STACK_MODE:-}" != "embedded" ]] && docker_answers && [[ -n "$(compose ps --all --quiet 2>/dev/null)" || -n "$(docker volume ls --quiet --filter "label=com.docker.compose.project=$(basename "${root}")" 2>/dev/null)" ]]; then
  if [[ -n "$(compose ps --quiet 2>/dev/null)" ]]; then
    echo "reset-data: the compose stack is running; stop it first with scripts/stop.sh" >&2
    exit 1
  fi
  compose_stack="yes"
fi

targets=()
[[ -d "${data_dir}" ]] && targets+=("the embedded stack's data in ${data_dir}")
[[ "${compose_stack}" == "yes" ]] && targets+=("the compose volumes")
if ((${#targets[@]} == 0)); then
  echo "reset-data: no data to remove"
  exit 0
fi
if [[ "${confirmed}" != "yes" ]]; then
  if [[ ! -t 0 ]]; then
    echo "reset-data: would delete ${targets[*]}; pass --yes to confirm without a terminal" >&2
    exit 1
  fi
  read -r -p "Delete ${targets[*]}? This cannot be undone. [y/N] " answer
  [[ "${answer}" =~ ^[Yy] ]] || { echo "reset-data: nothing deleted"; exit 1; }
fi
if [[ "${compose_stack}" == "yes" ]]; then
  compose --profile simulator down --volumes
fi
rm -rf "${data_dir}"
echo "reset-data: deleted ${targets[*]}"
