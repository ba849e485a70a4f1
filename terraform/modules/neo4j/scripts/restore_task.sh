# Runs inside the one-time restore task (aws-cli image, `/bin/sh -c`): fill the Neo4j data volume from the
# S3 backup, a tar.gz of a Neo4j data directory (databases/, transactions/, dbms/ at its root, or under one
# top-level data/ folder).
#   - A volume that already holds data is never replaced unless RESTORE_FORCE=true: exit 3.
#   - The archive is downloaded and unpacked beside the live data and checked first; the data is swapped only
#     after that worked, so a failed or corrupt restore leaves the volume as it was: exit 4.
#   - The same object version, already restored, is a no-op (a marker names it) unless forced.
# Environment: BACKUP_BUCKET, BACKUP_KEY, BACKUP_VERSION (empty or "current": the current version),
# RESTORE_FORCE (true|false, default false), DATA_DIR (default /data, the EFS mount). Exit 2: bad input.
set -eu
data="${DATA_DIR:-/data}"
version="${BACKUP_VERSION:-current}"
force="${RESTORE_FORCE:-false}"
marker="$data/.restored-from-backup"
staging="$data/.restore-staging"
previous="$data/.restore-previous"
case "$force" in true | false) ;; *) echo "RESTORE_FORCE must be true or false, not '$force'" >&2; exit 2 ;; esac
if [ -z "${BACKUP_BUCKET:-}" ] || [ -z "${BACKUP_KEY:-}" ]; then
  echo "BACKUP_BUCKET and BACKUP_KEY are required" >&2; exit 2
fi
if [ ! -d "$data" ]; then echo "$data does not exist: is the volume mounted?" >&2; exit 2; fi
rm -rf "$staging" "$previous" # what an interrupted run left, never live data

if [ "$force" != true ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$BACKUP_KEY@$version" ]; then
  echo "backup $BACKUP_KEY@$version already restored"; exit 0
fi
if [ "$force" != true ] && [ -n "$(ls -A "$data")" ]; then
  from=$(cat "$marker" 2>/dev/null || echo "data not restored from a backup")
  echo "refusing to restore $BACKUP_KEY@$version: $data already holds data ($from); set restore.force = true to replace it" >&2
  exit 3
fi

command -v tar >/dev/null 2>&1 || yum install -y -q tar gzip
archive=$(mktemp "${TMPDIR:-/tmp}/neo4j-backup.XXXXXX")
trap 'rm -f "$archive"; rm -rf "$staging"' EXIT
set -- --bucket "$BACKUP_BUCKET" --key "$BACKUP_KEY"
if [ "$version" != "current" ]; then set -- "$@" --version-id "$version"; fi
aws s3api get-object "$@" "$archive" >/dev/null
mkdir "$staging"
if ! tar -xzf "$archive" -C "$staging"; then
  echo "backup $BACKUP_KEY@$version could not be unpacked; $data left as it was" >&2; exit 4
fi
root="$staging"
[ -d "$root/databases" ] || root="$staging/data"
if [ ! -d "$root/databases" ]; then
  echo "backup $BACKUP_KEY@$version holds no Neo4j data directory (no databases/); $data left as it was" >&2; exit 4
fi

# Swap: the old entries aside, the new ones in (renames on one file system), then drop the old ones.
mkdir "$previous"
find "$data" -mindepth 1 -maxdepth 1 ! -name .restore-staging ! -name .restore-previous -exec mv {} "$previous"/ \;
find "$root" -mindepth 1 -maxdepth 1 -exec mv {} "$data"/ \;
printf '%s' "$BACKUP_KEY@$version" > "$marker"
rm -rf "$previous"
echo "restored $BACKUP_KEY@$version"
