#!/bin/sh
# Deletes expired preview namespaces. Safety first:
# - only namespaces labelled PREVIEW_LABEL=true are looked at (asked of the API server with a
#   label selector, and checked again here);
# - a namespace in PROTECTED_NAMESPACES is never touched, whatever its labels;
# - a missing or malformed expiry annotation means skip and log, never delete;
# - DRY_RUN=true (the default when unset) only logs what would be deleted;
# - at most MAX_DELETIONS namespaces are deleted per run, the longest expired first;
# - each namespace is read again just before it is deleted, so an expiry extended meanwhile holds.
# One JSON line per decision on stdout: {"action","namespace","reason",...}; a summary line last.
# Exit status: 0 done, 1 a kubectl call failed (the summary says what was deleted before), 2 bad
# settings.
#
# Settings (environment):
#   PREVIEW_LABEL        label key marking preview namespaces (value "true")
#   EXPIRY_ANNOTATION    annotation holding the expiry, RFC 3339 with Z or an offset
#   PROTECTED_NAMESPACES namespaces never touched, separated by spaces
#   MAX_DELETIONS        most namespaces deleted per run (an integer from 1)
#   DRY_RUN              "true" or "false"
#
# Dates are read with shell arithmetic alone (days from the civil date, minus the offset), not
# with `date -d`, whose input formats differ between BusyBox and GNU coreutils; the clock is read
# once, with the POSIX `date -u +FORMAT`. Needs: sh, kubectl, jq, date, sort.
set -u

now_text=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
dry_run=${DRY_RUN:-true}
tab=$(printf '\t')

# One decision as a JSON line; jq escapes every string.
log() { # action namespace reason [expiresAt]
  jq -cnS --arg action "$1" --arg namespace "$2" --arg reason "$3" --arg expiresAt "${4-}" --argjson dryRun "$dry_run" \
    '{action: $action, namespace: $namespace, reason: $reason, dryRun: $dryRun} + (if $expiresAt == "" then {} else {expiresAt: $expiresAt} end)'
}

fail_settings() {
  jq -cnS --arg reason "$1" '{action: "error", reason: $reason}'
  exit 2
}

# Sets _n to a decimal number without its leading zeros (shell arithmetic reads 08 as octal);
# no command substitution, so no subshell per number.
dec() {
  _n=${1#"${1%%[!0]*}"}
  _n=${_n:-0}
}

# Seconds since the epoch of an RFC 3339 timestamp, or status 1 when it is malformed: a full
# date, T, hh:mm:ss, an optional fraction (dropped), and Z or +hh:mm / -hh:mm.
epoch_of() {
  _t=$1
  case $_t in
    [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*) ;;
    *) return 1 ;;
  esac
  _date=${_t%%T*}
  _rest=${_t#*T}
  dec "${_date%%-*}"; _y=$_n
  _md=${_date#*-}
  dec "${_md%%-*}"; _mo=$_n
  dec "${_md#*-}"; _d=$_n
  dec "${_rest%%:*}"; _h=$_n
  _rest=${_rest#*:}
  dec "${_rest%%:*}"; _mi=$_n
  _rest=${_rest#*:}
  dec "${_rest%"${_rest#??}"}"; _s=$_n
  _zone=${_rest#??}
  case $_zone in
    .*)
      _zone=${_zone#.}
      _digits=${_zone%%[!0-9]*}
      [ -n "$_digits" ] || return 1
      _zone=${_zone#"$_digits"}
      ;;
  esac
  case $_zone in
    Z) _offset=0 ;;
    [+-][0-9][0-9]:[0-9][0-9])
      _oh=${_zone#?}
      dec "${_oh%%:*}"; _oh=$_n
      dec "${_zone#???:}"; _om=$_n
      [ "$_oh" -le 23 ] && [ "$_om" -le 59 ] || return 1
      _offset=$((_oh * 3600 + _om * 60))
      case $_zone in -*) _offset=$((-_offset)) ;; esac
      ;;
    *) return 1 ;;
  esac
  [ "$_y" -ge 1 ] && [ "$_mo" -ge 1 ] && [ "$_mo" -le 12 ] && [ "$_d" -ge 1 ] || return 1
  [ "$_h" -le 23 ] && [ "$_mi" -le 59 ] && [ "$_s" -le 59 ] || return 1
  case $_mo in
    2)
      if [ $((_y % 4)) -eq 0 ] && { [ $((_y % 100)) -ne 0 ] || [ $((_y % 400)) -eq 0 ]; }; then _dim=29; else _dim=28; fi
      ;;
    4 | 6 | 9 | 11) _dim=30 ;;
    *) _dim=31 ;;
  esac
  [ "$_d" -le "$_dim" ] || return 1
  # days_from_civil (Howard Hinnant), integer arithmetic only.
  if [ "$_mo" -le 2 ]; then _yy=$((_y - 1)); _mp=$((_mo + 9)); else _yy=$_y; _mp=$((_mo - 3)); fi
  _era=$((_yy / 400))
  _yoe=$((_yy - _era * 400))
  _doy=$(((153 * _mp + 2) / 5 + _d - 1))
  _doe=$((_yoe * 365 + _yoe / 4 - _yoe / 100 + _doy))
  _days=$((_era * 146097 + _doe - 719468))
  echo $((_days * 86400 + _h * 3600 + _mi * 60 + _s - _offset))
}

# The namespaces of a `kubectl get namespaces -o json` list as lines of
# name, =preview label value, terminating (true/false), whether the expiry is set, =expiry.
# No field is empty (read would merge two tabs into one), and @tsv escapes tabs and newlines, so
# every namespace stays one line of five fields.
namespace_lines() {
  jq -r --arg key "$PREVIEW_LABEL" --arg annotation "$EXPIRY_ANNOTATION" '
    (if .kind == "Namespace" then [.] else .items end)
    | sort_by(.metadata.name)[]
    | [ .metadata.name,
        ("=" + ((.metadata.labels // {})[$key] // "" | tostring)),
        (.metadata.deletionTimestamp != null),
        ((.metadata.annotations // {}) | has($annotation)),
        ("=" + ((.metadata.annotations // {})[$annotation] // "" | tostring)) ]
    | @tsv'
}

[ -n "${PREVIEW_LABEL:-}" ] || fail_settings 'PREVIEW_LABEL is not set'
[ -n "${EXPIRY_ANNOTATION:-}" ] || fail_settings 'EXPIRY_ANNOTATION is not set'
case ${MAX_DELETIONS:-} in
  '' | *[!0-9]*) fail_settings "MAX_DELETIONS must be an integer from 1 (got \"${MAX_DELETIONS:-}\")" ;;
esac
dec "$MAX_DELETIONS"; max_deletions=$_n
[ "$max_deletions" -ge 1 ] || fail_settings "MAX_DELETIONS must be an integer from 1 (got \"$MAX_DELETIONS\")"
case $dry_run in
  true | false) ;;
  *) fail_settings "DRY_RUN must be true or false (got \"${DRY_RUN}\")" ;;
esac
protected=" ${PROTECTED_NAMESPACES:-} "
now=$(epoch_of "$now_text") || fail_settings "the clock gives no RFC 3339 time (got \"$now_text\")"

deleted=''
would=''
kept=0
skipped=0

summary() { # status [failed namespace]
  jq -cnS --argjson dryRun "$dry_run" --arg deleted "$deleted" --arg would "$would" --argjson kept "$kept" --argjson skipped "$skipped" \
    --arg failed "${2-}" --arg at "$now_text" --argjson status "$1" \
    '{action: "summary", at: $at, dryRun: $dryRun, deleted: ($deleted | split(" ") | map(select(. != ""))),
      wouldDelete: ($would | split(" ") | map(select(. != ""))), kept: $kept, skipped: $skipped, exitStatus: $status}
     + (if $failed == "" then {} else {failed: $failed} end)'
  exit "$1"
}

if ! list=$(kubectl get namespaces -l "$PREVIEW_LABEL=true" -o json); then
  jq -cnS --argjson dryRun "$dry_run" '{action: "error", reason: "kubectl get namespaces failed", dryRun: $dryRun}'
  summary 1
fi
if ! lines=$(printf '%s\n' "$list" | namespace_lines); then
  jq -cnS --argjson dryRun "$dry_run" '{action: "error", reason: "kubectl get namespaces gave no namespace list", dryRun: $dryRun}'
  summary 1
fi

# First pass: every namespace that is not to be deleted is logged; expired ones are collected
# as "<expiry seconds> <name> <expiry text>" lines, to delete the longest expired first.
expired=''
while IFS="$tab" read -r name label terminating has_expiry expiry; do
  [ -n "$name" ] || continue
  expiry=${expiry#=}
  case $protected in
    *" $name "*) log skip "$name" 'protected namespace'; skipped=$((skipped + 1)); continue ;;
  esac
  if [ "$label" != =true ]; then
    log skip "$name" "not a preview namespace: label $PREVIEW_LABEL is not \"true\""; skipped=$((skipped + 1)); continue
  fi
  if [ "$terminating" = true ]; then
    log skip "$name" 'already terminating'; skipped=$((skipped + 1)); continue
  fi
  if [ "$has_expiry" != true ]; then
    log skip "$name" "no expiry: annotation $EXPIRY_ANNOTATION is missing"; skipped=$((skipped + 1)); continue
  fi
  if ! at=$(epoch_of "$expiry"); then
    log skip "$name" "malformed expiry: $EXPIRY_ANNOTATION is no RFC 3339 time" "$expiry"; skipped=$((skipped + 1)); continue
  fi
  if [ "$at" -gt "$now" ]; then
    log keep "$name" "expires in $((at - now))s" "$expiry"; kept=$((kept + 1)); continue
  fi
  expired="$expired$at $name $expiry
"
done <<EOF
$lines
EOF

count=0
while read -r at name expiry; do
  [ -n "$name" ] || continue
  if [ "$count" -ge "$max_deletions" ]; then
    log skip "$name" "deletion cap reached: at most $max_deletions per run" "$expiry"; skipped=$((skipped + 1)); continue
  fi
  if [ "$dry_run" = true ]; then
    log would-delete "$name" "expired $((now - at))s ago" "$expiry"; would="$would $name"; count=$((count + 1)); continue
  fi
  # Read it again: the expiry may have been extended, or the label removed, since the list.
  if ! again=$(kubectl get namespace "$name" -o json); then
    log error "$name" 'kubectl get namespace failed' "$expiry"; summary 1 "$name"
  fi
  IFS="$tab" read -r _name label terminating has_expiry expiry_now <<LINE
$(printf '%s\n' "$again" | namespace_lines)
LINE
  expiry_now=${expiry_now#=}
  if [ "$label" != =true ] || [ "$terminating" = true ] || [ "$has_expiry" != true ] || [ "$expiry_now" != "$expiry" ]; then
    log skip "$name" 'changed since listed: label, expiry or state differ now' "$expiry_now"; skipped=$((skipped + 1)); continue
  fi
  # kubectl's own "namespace deleted" goes to stderr: stdout holds only the JSON lines.
  if ! kubectl delete namespace "$name" --wait=false >&2; then
    log error "$name" 'kubectl delete namespace failed' "$expiry"; summary 1 "$name"
  fi
  log delete "$name" "expired $((now - at))s ago" "$expiry"
  deleted="$deleted $name"
  count=$((count + 1))
done <<EOF
$(printf '%s' "$expired" | sort -k1,1n -k2,2)
EOF

summary 0
