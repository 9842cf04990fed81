#!/usr/bin/env bash
# Prints an access token for one of the realm's users (keycloak/README.md), for curl against the APIs:
#
#   curl -H "Authorization: Bearer $(scripts/token.sh alice)" localhost:8002/cart
#
# Usage: scripts/token.sh [USER] [PASSWORD]
#   USER      a user of the realm: admin, alice, bob, shopper-01 ... shopper-50 (default alice)
#   PASSWORD  default KEYCLOAK_DEMO_PASSWORD (.env, or the environment)
#   STACK_HOST (default localhost), KEYCLOAK_PORT and KEYCLOAK_REALM (.env) say where Keycloak is. The token is valid
#   for 5 minutes (the realm's accessTokenLifespan).
set -o errexit -o nounset -o pipefail

# shellcheck source=lib/stack.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  usage_from_header "${BASH_SOURCE[0]}"
  exit 0
fi

user="${1:-alice}"
password="${2:-$(env_setting KEYCLOAK_DEMO_PASSWORD)}"
url="http://${STACK_HOST:-localhost}:$(env_setting KEYCLOAK_PORT)/realms/$(env_setting KEYCLOAK_REALM)/protocol/openid-connect/token"

if ! response="$(curl --silent --show-error --max-time 10 --data-urlencode grant_type=password \
  --data-urlencode client_id=chanalytics-cli --data-urlencode "username=${user}" \
  --data-urlencode "password=${password}" "${url}")"; then
  echo "token: Keycloak does not answer at ${url}; is the stack running with SIGN_IN=true (scripts/start.sh)?" >&2
  exit 1
fi
token="$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"${response}")"
if [[ -z "${token}" ]]; then
  echo "token: Keycloak refused ${user}: ${response}" >&2
  exit 1
fi
echo "${token}"
