# Finds a JDK 25 or newer (sourced, not run): the one place that knows where to look. mvnw, .ci/run and the stack
# scripts use it. JDK 25 because the embedded ClickHouse engine is loaded through the FFM API.

# True when the java binary $1 is version 25 or newer.
java_is_25_or_newer() {
  local version
  version="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ -n "${version}" && "${version%%.*}" -ge 25 ]]
}

# Prints the home of a JDK 25 or newer: JAVA_HOME when it is one, else a standard install location, else the java on
# PATH. Prints nothing and fails when there is none.
jdk25_home() {
  local candidate java_on_path
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 \
    /usr/lib/jvm/jdk-25* /usr/lib/jvm/temurin-2[5-9]-jdk-amd64; do
    if [[ -n "${candidate}" && -x "${candidate}/bin/java" ]] && java_is_25_or_newer "${candidate}/bin/java"; then
      echo "${candidate}"
      return 0
    fi
  done
  java_on_path="$(command -v java 2>/dev/null || true)"
  if [[ -n "${java_on_path}" ]] && java_is_25_or_newer "${java_on_path}"; then
    dirname "$(dirname "$(readlink -f "${java_on_path}")")"
    return 0
  fi
  return 1
}

# The java binary of jdk25_home, or exit with what to do.
java25() {
  local home
  home="$(jdk25_home)" || {
    echo "$(basename "$0"): a JDK 25 or newer is needed (the ClickHouse engine is loaded through the FFM API);" \
      "set JAVA_HOME" >&2
    exit 1
  }
  echo "${home}/bin/java"
}
