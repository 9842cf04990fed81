# Shared by the stack scripts (sourced, not run): where the embedded stack keeps its data and pid, and whether a
# Docker engine or the embedded stack is running.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=jdk.sh
source "${root}/scripts/lib/jdk.sh"
data_dir="${CHANALYTICS_DATA_DIR:-${root}/.data}"
pid_file="${data_dir}/stack.pid"

docker_answers() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

compose() {
  (exec_compose "$@")
}

# Compose in place of this process (the foreground mode); compose() runs it in a subshell.
exec_compose() {
  cd "${root}"
  if docker compose version >/dev/null 2>&1; then
    exec docker compose "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    # Compose v1 builds with the classic builder unless told otherwise; the Dockerfiles need BuildKit (cache mounts).
    DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 exec docker-compose "$@"
  else
    echo "$(basename "$0"): Docker answers but neither 'docker compose' nor docker-compose is installed" >&2
    exit 1
  fi
}

# The embedded stack's runnable jar, newest first; nothing when it was never built.
stack_jar() {
  ls -t "${root}"/embedded-stack/stack/target/embedded-stack-*-exec.jar 2>/dev/null | head -n 1 || true
}

# Runs another main class of the stack's exec jar in place of this shell (the verifier, the replay), building the jar
# once when it is missing: exec_stack_main <script name> <main class> [arguments...]
exec_stack_main() {
  local name="$1" main="$2"
  shift 2
  local jar
  jar="$(stack_jar)"
  if [[ -z "${jar}" ]]; then
    echo "${name}: building the embedded-stack module once (./mvnw -q install -DskipTests)" >&2
    (cd "${root}" && ./mvnw -q install -DskipTests -Dspotless.check.skip=true -pl embedded-stack/stack -am)
    jar="$(stack_jar)"
  fi
  local java
  java="$(java25)"
  cd "${root}"
  # The exec jar's main class is the embedded stack; Spring Boot's PropertiesLauncher runs another one from it.
  exec "${java}" --sun-misc-unsafe-memory-access=allow \
    -Dloader.main="${main}" -cp "${jar}" org.springframework.boot.loader.launch.PropertiesLauncher "$@"
}

# True when containers of this project's compose stack run. STACK_MODE=embedded makes the scripts leave compose
# alone (the tests of the embedded side set it, so they never touch a developer's compose stack).
compose_running() {
  [[ "${STACK_MODE:-}" != "embedded" ]] && docker_answers && [[ -n "$(compose ps --quiet 2>/dev/null)" ]]
}

# The pid of the embedded stack's JVM when it runs, else nothing.
embedded_pid() {
  local pid
  [[ -f "${pid_file}" ]] || return 0
  pid="$(<"${pid_file}")"
  if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
    echo "${pid}"
  fi
}

# A script's usage: its header comment, from the second line to `set -o`.
usage_from_header() {
  sed -n '2,/^set -o/p' "$1" | sed '$d' | sed 's/^# \{0,1\}//'
}

# The value of .env's variable NAME; a variable set in the environment wins, as in compose and the embedded stack.
env_setting() {
  local name="$1" line value=""
  if [[ -n "${!name:-}" ]]; then
    echo "${!name}"
    return 0
  fi
  while IFS= read -r line; do
    [[ "${line}" == "${name}="* ]] && value="${line#*=}"
  done <"${root}/.env"
  echo "${value}"
}
