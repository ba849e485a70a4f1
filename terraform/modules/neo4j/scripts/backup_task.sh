# Runs inside the scheduled backup task (aws-cli image, `/bin/sh -c`): the seed's archive, a tar.gz of the
# Neo4j data directory, written to s3://BACKUP_BUCKET/BACKUP_KEY (what restore_task.sh reads) and to
# DATED_PREFIX/dated/<UTC time>.tar.gz. Neo4j Community has no online backup and its store files change while
# it runs, so the service is stopped first (desired count 0, then wait until no task runs): nothing writes
# /data while it is archived, and the store with its transaction logs is what a clean stop (or, after a
# forced kill, recovery at the next start) reads. Neo4j gets its task count back as soon as the archive
# exists, also when something failed. BackupSucceeded (1/0, dimension Env) is published either way.
# Environment: BACKUP_BUCKET BACKUP_KEY DATED_PREFIX CLUSTER SERVICE METRIC_NAMESPACE METRIC_ENV,
# DATA_DIR (default /data, the read-only mount). Exit 2 bad input, 5 Neo4j did not stop, 6 archive or upload.
set -eu
data="${DATA_DIR:-/data}"
for name in BACKUP_BUCKET BACKUP_KEY DATED_PREFIX CLUSTER SERVICE METRIC_NAMESPACE METRIC_ENV; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then echo "$name is required" >&2; exit 2; fi
done
if [ ! -d "$data" ]; then echo "$data does not exist: is the volume mounted?" >&2; exit 2; fi

stopped=""
archive=""
give_back() {
  if [ -n "$stopped" ]; then
    aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count "$stopped" >/dev/null \
      && echo "$SERVICE given back its $stopped task(s)" || echo "could not give $SERVICE back its $stopped task(s)" >&2
    stopped=""
  fi
}
finish() {
  code=$?
  give_back
  ok=0
  [ "$code" = 0 ] && ok=1
  aws cloudwatch put-metric-data --namespace "$METRIC_NAMESPACE" --metric-name BackupSucceeded \
    --dimensions "Env=$METRIC_ENV" --value "$ok" --unit Count || echo "could not publish BackupSucceeded=$ok" >&2
  [ -n "$archive" ] && rm -f "$archive"
  exit "$code"
}
trap finish EXIT
trap 'exit 130' INT TERM

command -v tar >/dev/null 2>&1 || yum install -y -q tar gzip
desired=$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
  --query 'services[?status==`ACTIVE`].desiredCount | [0]' --output text)
case "$desired" in
  '' | None | *[!0-9]*) echo "service $SERVICE not found in $CLUSTER" >&2; exit 5 ;;
esac
if [ "$desired" != 0 ]; then
  echo "stopping $SERVICE ($desired task(s)) for a consistent copy"
  stopped="$desired"
  aws ecs update-service --cluster "$CLUSTER" --service "$SERVICE" --desired-count 0 >/dev/null
fi
if ! aws ecs wait services-stable --cluster "$CLUSTER" --services "$SERVICE"; then
  echo "$SERVICE did not stop; no archive taken" >&2; exit 5
fi
running=$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" --query 'services[0].runningCount' --output text)
if [ "$running" != 0 ]; then echo "$SERVICE still runs $running task(s); no archive taken" >&2; exit 5; fi

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
archive=$(mktemp "${TMPDIR:-/tmp}/neo4j-backup.XXXXXX")
if ! tar -czf "$archive" -C "$data" --exclude=./.restore-staging --exclude=./.restore-previous \
  --exclude=./.restored-from-backup .; then
  echo "archiving $data failed" >&2; exit 6
fi
give_back # Neo4j starts again while the archive uploads
if ! tar -tzf "$archive" | grep -q '^\./databases/'; then
  echo "$data holds no Neo4j store (no databases/): nothing uploaded" >&2; exit 6
fi
dated="$DATED_PREFIX/dated/$stamp.tar.gz"
for key in "$dated" "$BACKUP_KEY"; do
  if ! aws s3 cp --only-show-errors "$archive" "s3://$BACKUP_BUCKET/$key"; then
    echo "upload to s3://$BACKUP_BUCKET/$key failed" >&2; exit 6
  fi
done
echo "backup written: s3://$BACKUP_BUCKET/$BACKUP_KEY and $dated ($(wc -c <"$archive") bytes)"
