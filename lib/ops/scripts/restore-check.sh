#!/bin/sh
# Restore test of a PostgreSQL backup: the latest dump fetched from its destination, restored
# with pg_restore into a scratch database, then the definition's check queries run on the copy,
# each against its floor. Fails, with the reason, when no dump is found, when the dump is
# corrupt or truncated, when the restore fails, or when any check is under its floor.
#
# Usage: restore-check.sh fetch | verify | all
#   fetch   copy the latest <BACKUP_NAME>-<UTC time>.dump to RESTORE_WORKDIR (gs:// needs gcloud)
#   verify  restore it and run the checks (needs the PostgreSQL client and, for an ephemeral
#           server, the server binaries: the postgres image)
#   all     both, in one container
#
# Environment:
#   BACKUP_DESTINATION  gs://<bucket>/<prefix> or an absolute local folder
#   BACKUP_NAME         the database name the dumps are named after
#   RESTORE_WORKDIR     writable folder shared by both steps (default /tmp/restore)
#   RESTORE_CHECKS_DIR  folder of checks, <n>-<name>.sql with one query and <n>-<name>.min with
#                       its floor (default: no checks)
#   RESTORE_SERVER      'ephemeral' (default): a server of its own in RESTORE_WORKDIR, gone when
#                       the test ends; 'libpq': the server PGHOST, PGPORT, PGUSER name, where
#                       the scratch database is created and dropped again
#   RESTORE_DATABASE    name of the scratch database (default restore_check)
#
# Check queries never pass through the shell: each is read from its file into one argument of
# psql -c, which sends it to the server as it is (no psql meta-commands, no variables), in a
# read-only transaction.
#
# Output: one JSON line per step and per check on stdout; errors on stderr.
set -eu

workdir=${RESTORE_WORKDIR:-/tmp/restore}
scratch=${RESTORE_DATABASE:-restore_check}
server=${RESTORE_SERVER:-ephemeral}
step=${1:-all}

log() {
  # Every value logged is generated here or validated by the definition: no quoting needed.
  printf '{"job":"database-restore-check","step":"%s","%s":"%s"}\n' "$1" "$2" "$3"
}

fail() {
  echo "restore check failed: $*" >&2
  exit 1
}

fetch() {
  [ -n "${BACKUP_DESTINATION:-}" ] || fail "BACKUP_DESTINATION is not set"
  [ -n "${BACKUP_NAME:-}" ] || fail "BACKUP_NAME is not set"
  destination=${BACKUP_DESTINATION%/}
  mkdir -p "$workdir"
  rm -f "$workdir/latest.dump" "$workdir/name"
  pattern="^$BACKUP_NAME-[0-9]{8}T[0-9]{6}Z\\.dump\$"
  case "$destination" in
    gs://*)
      listing=$(gcloud storage ls "$destination/") || fail "gcloud storage ls $destination/ exited non-zero"
      latest=$(printf '%s\n' "$listing" | sed 's|.*/||' | grep -E "$pattern" | LC_ALL=C sort | tail -n 1) || true
      [ -n "$latest" ] || fail "no dump named $BACKUP_NAME-<UTC time>.dump in $destination"
      gcloud storage cp --quiet "$destination/$latest" "$workdir/latest.dump" >&2 || fail "gcloud storage cp of $destination/$latest exited non-zero"
      ;;
    /*)
      [ -d "$destination" ] || fail "the folder $destination does not exist"
      latest=$(ls -1 "$destination" | grep -E "$pattern" | LC_ALL=C sort | tail -n 1) || true
      [ -n "$latest" ] || fail "no dump named $BACKUP_NAME-<UTC time>.dump in $destination"
      cp "$destination/$latest" "$workdir/latest.dump"
      ;;
    *)
      fail "BACKUP_DESTINATION must be gs://<bucket>/<prefix> or an absolute path (got $destination)"
      ;;
  esac
  printf '%s\n' "$latest" >"$workdir/name"
  log fetch file "$latest"
}

stop_server() {
  pg_ctl -D "$workdir/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
}

drop_scratch() {
  dropdb --if-exists --no-password "$scratch" >/dev/null 2>&1 || true
}

start_ephemeral() {
  rm -rf "$workdir/pgdata"
  initdb -D "$workdir/pgdata" -U postgres --auth=trust --encoding=UTF8 --no-sync >"$workdir/initdb.log" 2>&1 || {
    cat "$workdir/initdb.log" >&2
    fail "initdb of the scratch server exited non-zero"
  }
  trap stop_server EXIT
  # Sockets only, in the work folder: nothing outside the pod reaches the copy.
  pg_ctl -D "$workdir/pgdata" -l "$workdir/server.log" -w -t 60 \
    -o "-c listen_addresses= -k $workdir -c fsync=off -c full_page_writes=off" start >/dev/null || {
    cat "$workdir/server.log" >&2
    fail "the scratch server did not start"
  }
  export PGHOST="$workdir" PGPORT=5432 PGUSER=postgres
  unset PGPASSWORD PGDATABASE || true
}

verify() {
  dump="$workdir/latest.dump"
  [ -f "$dump" ] || fail "no dump in $workdir: run the fetch step first"
  name=$(cat "$workdir/name" 2>/dev/null || echo latest.dump)
  if ! pg_restore --list "$dump" >"$workdir/toc" 2>"$workdir/toc.err"; then
    cat "$workdir/toc.err" >&2
    fail "the dump $name is corrupt or truncated: pg_restore cannot read its table of contents"
  fi
  log verify entries "$(grep -c -v '^;' "$workdir/toc" | tr -d ' ')"
  case "$server" in
    ephemeral) start_ephemeral ;;
    libpq) ;;
    *) fail "RESTORE_SERVER must be ephemeral or libpq (got $server)" ;;
  esac
  if [ "$scratch" = "${BACKUP_NAME:-}" ]; then
    fail "RESTORE_DATABASE must not be the backed-up database $scratch"
  fi
  createdb --no-password "$scratch" 2>"$workdir/createdb.err" || {
    cat "$workdir/createdb.err" >&2
    fail "cannot create the scratch database $scratch (it must not exist yet)"
  }
  if [ "$server" = libpq ]; then trap drop_scratch EXIT; fi
  if ! pg_restore --exit-on-error --no-owner --no-privileges --no-password -d "$scratch" "$dump" 2>"$workdir/restore.err"; then
    tail -n 20 "$workdir/restore.err" >&2
    fail "the dump $name is corrupt or truncated: pg_restore stopped before restoring all of it"
  fi
  log verify restored "$name"
  checks=0
  failed=0
  if [ -n "${RESTORE_CHECKS_DIR:-}" ]; then
    for file in "$RESTORE_CHECKS_DIR"/*.sql; do
      [ -f "$file" ] || continue
      base=${file%.sql}
      check=${base##*/}
      check=${check#*-}
      [ -f "$base.min" ] || fail "check $check has no floor ($base.min)"
      min=$(cat "$base.min")
      checks=$((checks + 1))
      query=$(cat "$file")
      if ! value=$(PGOPTIONS='-c default_transaction_read_only=on' psql -X -q -A -t -v ON_ERROR_STOP=1 --no-password -d "$scratch" -c "$query" 2>"$workdir/check.err"); then
        cat "$workdir/check.err" >&2
        echo "check $check: the query failed" >&2
        failed=$((failed + 1))
        continue
      fi
      if ! printf '%s' "$value" | grep -Eq '^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$'; then
        echo "check $check: the query must return one number, not: $(printf '%s' "$value" | head -c 200)" >&2
        failed=$((failed + 1))
        continue
      fi
      if awk -v v="$value" -v m="$min" 'BEGIN { exit !(v + 0 >= m + 0) }'; then
        printf '{"job":"database-restore-check","check":"%s","value":%s,"min":%s,"result":"pass"}\n' "$check" "$value" "$min"
      else
        printf '{"job":"database-restore-check","check":"%s","value":%s,"min":%s,"result":"fail"}\n' "$check" "$value" "$min"
        echo "check $check: $value is under its floor $min" >&2
        failed=$((failed + 1))
      fi
    done
  fi
  [ "$failed" -eq 0 ] || fail "$failed of $checks checks failed on the restored copy of $name"
  log verify checks "$checks passed"
}

case "$step" in
  fetch) fetch ;;
  verify) verify ;;
  all)
    fetch
    verify
    ;;
  *) fail "unknown step $step: use fetch, verify or all" ;;
esac
