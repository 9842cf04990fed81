#!/usr/bin/env bash
# Obtains libchdb.so (ClickHouse as a shared library, used by the embedded engine and the clickhouse module's
# tests) once and prints its path. Idempotent: a cached library is reused.
#
#   CHDB_LIBRARY_PATH=/path/to/libchdb.so  use that file (only checked, nothing is downloaded)
#   CHDB_CACHE_DIR=/dir                    cache root (default ~/.cache/chanalytics/chdb)
#
# Usage: export CHDB_LIBRARY_PATH="$(scripts/fetch-chdb.sh)"
set -o errexit -o nounset -o pipefail

CHDB_VERSION="26.7.3-stable.1"
NPM_PACKAGE="@chdb/lib-linux-x64-gnu"
cache_root="${CHDB_CACHE_DIR:-${HOME}/.cache/chanalytics/chdb}"
target_dir="${cache_root}/${CHDB_VERSION}"
target="${target_dir}/libchdb.so"

fail() {
  echo "fetch-chdb: $*" >&2
  exit 1
}

if [[ -n "${CHDB_LIBRARY_PATH:-}" ]]; then
  [[ -f "${CHDB_LIBRARY_PATH}" ]] || fail "CHDB_LIBRARY_PATH=${CHDB_LIBRARY_PATH} is not a file"
  echo "${CHDB_LIBRARY_PATH}"
  exit 0
fi

if [[ -f "${target}" ]]; then
  echo "${target}"
  exit 0
fi

[[ "$(uname -s)" == "Linux" && "$(uname -m)" == "x86_64" ]] \
  || fail "only linux x86_64 is fetched automatically; download libchdb for your platform from chDB's GitHub releases and set CHDB_LIBRARY_PATH"
command -v npm >/dev/null 2>&1 \
  || fail "npm is needed to fetch ${NPM_PACKAGE}@${CHDB_VERSION}; install it, or download libchdb.so from chDB's GitHub releases and set CHDB_LIBRARY_PATH"

mkdir -p "${target_dir}"
work="$(mktemp -d "${cache_root}/.fetch.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

echo "fetch-chdb: downloading ${NPM_PACKAGE}@${CHDB_VERSION} (about 180 MB, 566 MB unpacked)" >&2
(cd "${work}" && npm pack --silent "${NPM_PACKAGE}@${CHDB_VERSION}" >/dev/null)
tarball="$(find "${work}" -maxdepth 1 -name '*.tgz' -print -quit)"
[[ -n "${tarball}" ]] || fail "npm pack produced no tarball"
tar -xzf "${tarball}" -C "${work}" package/libchdb.so
[[ -s "${work}/package/libchdb.so" ]] || fail "the package has no libchdb.so"
# Move into place last, so an interrupted download never leaves a truncated library at the cached path.
mv "${work}/package/libchdb.so" "${target}.partial"
mv "${target}.partial" "${target}"
echo "${target}"
