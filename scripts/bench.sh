#!/usr/bin/env bash
# Runs the benchmarks and prints their tables (docs/benchmarks.md keeps the latest results). Each compares two
# variants in one run, alternating, and reports the ratio: these machines are noisy, so the ratio is the figure.
#
# Usage: scripts/bench.sh [name] [--quick]
#   name      publish-path | publisher-throughput | ingestion-freshness | dashboards-storage | memory |
#             service-load (default: all)
#   --quick   seconds instead of minutes, no targets: only proves the benchmarks still run (CI does this)
set -o errexit -o nounset -o pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${root}"

quick=""
names=()
for argument in "$@"; do
  case "${argument}" in
    --quick) quick="--quick" ;;
    -h | --help) sed -n '2,/^set -o/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    publish-path | publisher-throughput | ingestion-freshness | dashboards-storage | memory | service-load)
      names+=("${argument}") ;;
    *) echo "bench: unknown benchmark or option ${argument} (see --help)" >&2; exit 2 ;;
  esac
done
((${#names[@]} > 0)) || names=(publish-path publisher-throughput ingestion-freshness dashboards-storage memory service-load)

main_class() {
  case "$1" in
    publish-path) echo io.chanalytics.metrics.benchmark.PublishPathBenchmark ;;
    publisher-throughput) echo io.chanalytics.metrics.benchmark.PublisherThroughputBenchmark ;;
    ingestion-freshness) echo io.chanalytics.stack.IngestionFreshnessBenchmark ;;
    dashboards-storage) echo io.chanalytics.stack.DashboardStorageBenchmark ;;
    memory) echo io.chanalytics.stack.StackMemoryBenchmark ;;
    service-load) echo io.chanalytics.stack.ServiceLoadBenchmark ;;
  esac
}

# The module whose test classes hold the benchmark.
module() {
  case "$1" in
    ingestion-freshness | dashboards-storage | memory | service-load) echo scripts/embedded-stack ;;
    *) echo metrics-events ;;
  esac
}

echo "bench: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%dT%H:%MZ)"
java="${JAVA_HOME:+${JAVA_HOME}/bin/}java"
modules=()
for name in "${names[@]}"; do
  target="$(module "${name}")"
  [[ " ${modules[*]} " == *" ${target} "* ]] || modules+=("${target}")
done
# One build of what the chosen benchmarks need (their test classes included), then one JVM per benchmark.
./mvnw -q -pl "$(IFS=,; echo "${modules[*]}")" -am install -DskipTests -Dspotless.check.skip=true
for name in "${names[@]}"; do
  echo "== ${name} ${quick}"
  # A JVM of its own (exec:exec): the ClickHouse engine is native code that needs --enable-native-access.
  ./mvnw -q -pl "$(module "${name}")" exec:exec -Dspotless.check.skip=true -Dexec.classpathScope=test \
    -Dexec.executable="${java}" \
    -Dexec.args="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -classpath %classpath $(main_class "${name}") ${quick}"
done
