# Runs inside the restore task (aws-cli image): stream the backup from S3 and extract it onto /data.
# Idempotent: a marker names the restored object version, so a repeated run of the same version is a no-op.
set -eu
marker="/data/.restored-from-backup"
version="${BACKUP_VERSION:-current}"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$BACKUP_KEY@$version" ]; then
  echo "backup $BACKUP_KEY@$version already restored"; exit 0
fi
command -v tar >/dev/null 2>&1 || yum install -y -q tar gzip
set -- --bucket "$BACKUP_BUCKET" --key "$BACKUP_KEY"
if [ "$version" != "current" ]; then set -- "$@" --version-id "$version"; fi
aws s3api get-object "$@" /tmp/backup.tar.gz
find /data -mindepth 1 -delete
tar -xzf /tmp/backup.tar.gz -C /data
rm -f /tmp/backup.tar.gz
printf '%s' "$BACKUP_KEY@$version" > "$marker"
echo "restored $BACKUP_KEY@$version"
