#!/bin/sh
# Logical backup of one PostgreSQL database: pg_dump --format=custom into a work folder, the
# dump's table of contents read back with pg_restore --list, then the dump copied to its
# destination under a name that sorts by time: <database>-<UTC time>.dump.
#
# Usage: backup.sh dump | upload | all
#   dump    pg_dump into BACKUP_WORKDIR (needs pg_dump and pg_restore: the postgres image)
#   upload  copy the dump from BACKUP_WORKDIR to BACKUP_DESTINATION (gs:// needs gcloud)
#   all     both, in one container
#
# Environment:
#   PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD  the database, as libpq reads them
#   BACKUP_DESTINATION  gs://<bucket>/<prefix> or an absolute local folder
#   BACKUP_WORKDIR      writable folder shared by both steps (default /tmp/backup)
#
# Output: one JSON line per step on stdout; errors on stderr; non-zero exit on any failure.
set -eu

workdir=${BACKUP_WORKDIR:-/tmp/backup}
step=${1:-all}

log() {
  # Every value logged is generated here or validated by the definition: no quoting needed.
  printf '{"job":"database-backup","step":"%s","%s":"%s"}\n' "$1" "$2" "$3"
}

fail() {
  echo "backup failed: $*" >&2
  exit 1
}

dump() {
  [ -n "${PGDATABASE:-}" ] || fail "PGDATABASE is not set"
  mkdir -p "$workdir"
  name="$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
  rm -f "$workdir"/*.dump "$workdir/name"
  if ! pg_dump --format=custom --no-password --file="$workdir/$name" >&2; then
    rm -f "$workdir/$name"
    fail "pg_dump of database $PGDATABASE on ${PGHOST:-the local socket} exited non-zero"
  fi
  # A dump whose table of contents cannot be read back is no backup.
  pg_restore --list "$workdir/$name" >/dev/null || fail "pg_restore cannot read the dump $name that pg_dump wrote"
  printf '%s\n' "$name" >"$workdir/name"
  log dump file "$name"
  log dump bytes "$(wc -c <"$workdir/$name" | tr -d ' ')"
}

upload() {
  [ -n "${BACKUP_DESTINATION:-}" ] || fail "BACKUP_DESTINATION is not set"
  [ -f "$workdir/name" ] || fail "no dump in $workdir: run the dump step first"
  name=$(cat "$workdir/name")
  [ -f "$workdir/$name" ] || fail "the dump $workdir/$name is missing"
  destination=${BACKUP_DESTINATION%/}
  case "$destination" in
    gs://*)
      gcloud storage cp --no-clobber --quiet "$workdir/$name" "$destination/$name" >&2 || fail "gcloud storage cp to $destination/$name exited non-zero"
      ;;
    /*)
      mkdir -p "$destination"
      # Copy under a hidden name, then rename: a reader never sees half a dump as the latest.
      cp "$workdir/$name" "$destination/.$name.partial" || fail "cannot write into $destination"
      mv "$destination/.$name.partial" "$destination/$name"
      ;;
    *)
      fail "BACKUP_DESTINATION must be gs://<bucket>/<prefix> or an absolute path (got $destination)"
      ;;
  esac
  log upload destination "$destination/$name"
}

case "$step" in
  dump) dump ;;
  upload) upload ;;
  all)
    dump
    upload
    ;;
  *) fail "unknown step $step: use dump, upload or all" ;;
esac
