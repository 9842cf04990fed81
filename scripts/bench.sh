#!/usr/bin/env bash
# Runs the benchmarks and prints their tables (docs/benchmarks.md keeps the latest results). Each compares two
# variants in one run, alternating, and reports the ratio: these machines are noisy, so the ratio is the figure.
#
# Usage: scripts/bench.sh [name] [--quick]
#   name      publish-path | publisher-throughput | ingestion-freshness | dashboards-storage | memory |
#             service-load (default: all)
#   --quick   seconds instead of minutes, no targets: only proves the benchmarks still run (CI does this)
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
cd "${root}"

quick=""
names=()
for argument in "$@"; do
  case "${argument}" in
    --quick) quick="--quick" ;;
    -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
    publish-path | publisher-throughput | ingestion-freshness | dashboards-storage | memory | service-load)
      names+=("${argument}") ;;
    *) echo "bench: unknown benchmark or option ${argument} (see --help)" >&2; exit 2 ;;
  esac
done
((${#names[@]} > 0)) || names=(publish-path publisher-throughput ingestion-freshness dashboards-storage memory service-load)

main_class() {
  case "$1" in
    publish-path) echo io.chanalytics.benchmarks.PublishPathBenchmark ;;
    publisher-throughput) echo io.chanalytics.benchmarks.PublisherThroughputBenchmark ;;
    ingestion-freshness) echo io.chanalytics.benchmarks.IngestionFreshnessBenchmark ;;
    dashboards-storage) echo io.chanalytics.benchmarks.DashboardStorageBenchmark ;;
    memory) echo io.chanalytics.benchmarks.StackMemoryBenchmark ;;
    service-load) echo io.chanalytics.benchmarks.ServiceLoadBenchmark ;;
  esac
}

echo "bench: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%dT%H:%MZ)"
java="$(java25)"
# One build of the benchmarks module and what it needs (the services' jars included), then one JVM per benchmark.
./mvnw -q -pl benchmarks -am install -DskipTests -Dspotless.check.skip=true
for name in "${names[@]}"; do
  echo "== ${name} ${quick}"
  # A JVM of its own (exec:exec): the ClickHouse engine is native code that needs --enable-native-access.
  ./mvnw -q -pl benchmarks exec:exec -Dspotless.check.skip=true \
    -Dexec.executable="${java}" \
    -Dexec.args="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -classpath %classpath $(main_class "${name}") ${quick}"
done
