#!/usr/bin/env bash
# LocalStack ready hook: the Neo4j backup bucket (versioned, KMS-encrypted, private) and a small data
# archive in it, so the restore orchestration of terraform/modules/neo4j has something to restore.
set -euo pipefail

bucket="${NEO4J_BACKUP_BUCKET:-notegen-staging-neo4j-backups}"
region="${AWS_DEFAULT_REGION:-ca-central-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

awslocal s3api create-bucket --bucket "$bucket" --region "$region" \
  --create-bucket-configuration LocationConstraint="$region" >/dev/null 2>&1 || true
awslocal s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
awslocal s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
key_id="$(awslocal kms create-key --description "neo4j backups (local)" --query KeyMetadata.KeyId --output text)"
awslocal s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration \
  "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"$key_id\"}}]}"

# A minimal Neo4j data volume layout: enough for the restore task to extract and for a test to list.
mkdir -p "$work/data/databases/neo4j" "$work/data/transactions/neo4j"
printf 'restored-from-local-backup\n' > "$work/data/databases/neo4j/RESTORE_MARKER"
tar -C "$work" -czf "$work/neo4j-data-volume.tar.gz" data
awslocal s3 cp "$work/neo4j-data-volume.tar.gz" "s3://$bucket/neo4j-data-volume.tar.gz"
echo "neo4j backup archive uploaded to s3://$bucket/neo4j-data-volume.tar.gz"
