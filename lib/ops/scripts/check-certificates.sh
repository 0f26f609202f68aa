#!/bin/sh
# Checks the TLS certificate each host actually serves, as a client reaching it sees it: connects
# with SNI, reads the leaf certificate the server sends, and fails when one expires sooner than
# the threshold, has expired, does not match the host name, is not trusted, or cannot be reached.
# Catches what cert-manager cannot see: a certificate renewed in its Secret while the edge
# (an ingress controller, a load balancer, a CDN) still serves the old one.
#
# Environment:
#   CERT_HOSTS              host names to check, separated by spaces; each may name the address
#                           to connect to as name=address:port (default: name:443)
#   CERT_MIN_VALID_SECONDS  fail when a certificate expires within this many seconds
#   CERT_CA_FILE            trust these CAs instead of the system's (optional)
#   CERT_TIMEOUT_SECONDS    give up on a host after this long (default 10)
#
# Prints one JSON line per host: {"host", "address", "result", "not_after", "detail"}, result
# one of ok, expiring, expired, name-mismatch, untrusted, unreachable. Exits 1 when any host is
# not ok, 2 when the environment is wrong, 0 otherwise.
set -u

fail_usage() {
  printf '{"result":"usage","detail":"%s"}\n' "$1"
  exit 2
}

[ -n "${CERT_HOSTS:-}" ] || fail_usage "CERT_HOSTS names no host"
case "${CERT_MIN_VALID_SECONDS:-}" in
  '' | *[!0-9]*) fail_usage "CERT_MIN_VALID_SECONDS must be a whole number of seconds" ;;
esac
timeout_seconds="${CERT_TIMEOUT_SECONDS:-10}"
case "$timeout_seconds" in
  '' | *[!0-9]*) fail_usage "CERT_TIMEOUT_SECONDS must be a whole number of seconds" ;;
esac

# Text for a JSON string: quotes and backslashes dropped, control characters as spaces.
clean() {
  printf '%s' "$1" | tr -d '"\\' | tr '\000-\037' ' '
}

report() {
  # host, address, result, not_after, detail
  printf '{"host":"%s","address":"%s","result":"%s","not_after":"%s","detail":"%s"}\n' "$1" "$2" "$3" "$(clean "$4")" "$(clean "$5")"
}

work="$(mktemp -d "${TMPDIR:-/tmp}/check-certificates.XXXXXX")" || fail_usage "cannot create a scratch folder"
trap 'rm -rf "$work"' EXIT

status=0
for entry in $CERT_HOSTS; do
  host="${entry%%=*}"
  if [ "$host" = "$entry" ]; then address="$host:443"; else address="${entry#*=}"; fi
  leaf="$work/leaf.pem"
  rm -f "$leaf"
  # The handshake completes whatever the verification says; its result is read from the output.
  if [ -n "${CERT_CA_FILE:-}" ]; then
    output="$(timeout "$timeout_seconds" openssl s_client -connect "$address" -servername "$host" -CAfile "$CERT_CA_FILE" </dev/null 2>&1)"
  else
    output="$(timeout "$timeout_seconds" openssl s_client -connect "$address" -servername "$host" </dev/null 2>&1)"
  fi
  printf '%s\n' "$output" | sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' >"$leaf"
  if [ ! -s "$leaf" ]; then
    reason="$(printf '%s\n' "$output" | grep -i -m 1 -E 'errno|error|refused|timeout|unknown|no peer' || true)"
    report "$host" "$address" unreachable "" "no certificate received: ${reason:-no TLS handshake within ${timeout_seconds}s}"
    status=1
    continue
  fi
  not_after="$(openssl x509 -in "$leaf" -noout -enddate -dateopt iso_8601 2>/dev/null | sed 's/^notAfter=//')"
  verify_code="$(printf '%s\n' "$output" | sed -n 's/^ *Verify return code: \([0-9]*\).*/\1/p' | tail -n 1)"
  verify_text="$(printf '%s\n' "$output" | sed -n 's/^ *Verify return code: //p' | tail -n 1)"
  if ! openssl x509 -in "$leaf" -noout -checkend 0 >/dev/null 2>&1; then
    report "$host" "$address" expired "$not_after" "the served certificate has expired"
    status=1
  elif ! openssl x509 -in "$leaf" -noout -checkhost "$host" 2>/dev/null | grep -q 'does match'; then
    subject="$(openssl x509 -in "$leaf" -noout -subject -ext subjectAltName 2>/dev/null | tr '\n' ' ')"
    report "$host" "$address" name-mismatch "$not_after" "the served certificate is not for $host: $subject"
    status=1
  elif [ "$verify_code" != "0" ]; then
    report "$host" "$address" untrusted "$not_after" "verification failed: ${verify_text:-no verification result}"
    status=1
  elif ! openssl x509 -in "$leaf" -noout -checkend "$CERT_MIN_VALID_SECONDS" >/dev/null 2>&1; then
    report "$host" "$address" expiring "$not_after" "expires within ${CERT_MIN_VALID_SECONDS}s: renewed in its Secret but not served, or not renewed"
    status=1
  else
    report "$host" "$address" ok "$not_after" "valid for more than ${CERT_MIN_VALID_SECONDS}s"
  fi
done
exit "$status"
