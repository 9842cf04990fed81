#!/usr/bin/env bash
# Runs the benchmarks and prints their tables (docs/benchmarks.md keeps the latest results). Each compares two
# variants in one run, alternating, and reports the ratio: these machines are noisy, so the ratio is the figure.
#
# Usage: scripts/bench.sh [name] [--quick]
#   name      publish-path | publisher-throughput (default: all)
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
    publish-path | publisher-throughput) names+=("${argument}") ;;
    *) echo "bench: unknown benchmark or option ${argument} (see --help)" >&2; exit 2 ;;
  esac
done
((${#names[@]} > 0)) || names=(publish-path publisher-throughput)

main_class() {
  case "$1" in
    publish-path) echo io.chanalytics.metrics.benchmark.PublishPathBenchmark ;;
    publisher-throughput) echo io.chanalytics.metrics.benchmark.PublisherThroughputBenchmark ;;
  esac
}

echo "bench: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%dT%H:%MZ)"
./mvnw -q -pl scripts/schema-registry,metrics-events -am install -DskipTests -Dspotless.check.skip=true
for name in "${names[@]}"; do
  echo "== ${name} ${quick}"
  ./mvnw -q -pl metrics-events test-compile exec:java -Dspotless.check.skip=true -Dexec.classpathScope=test \
    -Dexec.mainClass="$(main_class "${name}")" -Dexec.args="${quick}"
done
