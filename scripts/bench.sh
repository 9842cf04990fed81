#!/usr/bin/env bash
# Runs the benchmarks and prints their tables (docs/benchmarks.md keeps the latest results). Each compares variants
# in one run and reports the ratios: these machines are noisy, so the ratio is the figure. The micro benchmarks run
# under JMH, the scenarios as programs, all through one runner (benchmarks/, io.chanalytics.benchmarks.Bench).
#
# Usage: scripts/bench.sh [name ...] [--quick] [--without-stack] [--list]
#   name      a benchmark of benchmarks/README.md (default: all); --list prints the names
#   --quick   seconds instead of minutes, no targets: only proves the benchmarks still run
#   --without-stack  leaves out the two that start the whole stack (memory, service-load)
set -o errexit -o nounset -o pipefail
# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
cd "${root}"

# The benchmarks' names and what runs them are Bench's (benchmarks/); this script builds, then hands over.
for argument in "$@"; do
  case "${argument}" in
    -h | --help) usage_from_header "${BASH_SOURCE[0]}"; exit 0 ;;
    --quick | --list | --without-stack | [a-z]*) ;;
    *) echo "bench: unknown option ${argument} (see --help)" >&2; exit 2 ;;
  esac
done
echo "bench: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%dT%H:%MZ)"
java="$(java25)"
# One build of the benchmarks module and what it needs (the services' jars included), then the runner: JMH forks its
# own JVMs for the micro benchmarks, and each scenario runs in a JVM of its own (the ClickHouse engine is native code).
./mvnw -q -pl benchmarks -am install -DskipTests -Dspotless.check.skip=true
./mvnw -q -pl benchmarks exec:exec -Dspotless.check.skip=true \
  -Dexec.executable="${java}" \
  -Dexec.args="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -classpath %classpath io.chanalytics.benchmarks.Bench $*"
