"""Live data stores and their keys in plan attribute shape: S3, EFS, OpenSearch, KMS, Secrets Manager, SSM,
CloudWatch Logs and ECR. Secret values are never read."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from compliance.loaders.live.aws import Clients, absent, policy_text, region_of
from compliance.loaders.live.lookup import Describer, Lookup, Values, described


def _s3(aws: Clients) -> Any:
    return aws("s3")


def _bucket(state: Mapping[str, Any]) -> str:
    return str(state.get("bucket") or state["id"]).split(",")[0]


def _exists(s3: Any, bucket: str) -> bool:
    """GetBucketLocation rather than HeadBucket: one IAM action the read-only policy grants anyway."""
    return absent(lambda: s3.get_bucket_location(Bucket=bucket), "404", "NoSuchBucket") is not None


def _per_bucket(shape: Callable[[Any, str], Values | None], existing: bool = True) -> Describer:
    """The S3 describers' one prologue: the client and the bucket's name (and, when `existing`, None for
    a bucket that is gone; the others read a missing setting of a gone bucket as gone already)."""

    def describe(state: Mapping[str, Any], aws: Clients) -> Values | None:
        s3 = _s3(aws)
        bucket = _bucket(state)
        if existing and not _exists(s3, bucket):
            return None
        return shape(s3, bucket)

    return describe


def _encryption_rules(s3: Any, bucket: str) -> list[Values]:
    answer = absent(
        lambda: s3.get_bucket_encryption(Bucket=bucket), "ServerSideEncryptionConfigurationNotFoundError"
    )
    rules = ((answer or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    return [
        {
            "apply_server_side_encryption_by_default": [
                {
                    "sse_algorithm": r["ApplyServerSideEncryptionByDefault"].get("SSEAlgorithm"),
                    "kms_master_key_id": r["ApplyServerSideEncryptionByDefault"].get("KMSMasterKeyID", ""),
                }
            ]
            if r.get("ApplyServerSideEncryptionByDefault")
            else [],
            "bucket_key_enabled": bool(r.get("BucketKeyEnabled")),
        }
        for r in rules
    ]


def _versioning(s3: Any, bucket: str) -> Mapping[str, Any]:
    answer: Mapping[str, Any] = s3.get_bucket_versioning(Bucket=bucket)
    return answer


def _policy(s3: Any, bucket: str) -> str | None:
    answer = absent(lambda: s3.get_bucket_policy(Bucket=bucket), "NoSuchBucketPolicy")
    return policy_text((answer or {}).get("Policy"))


def _s3_bucket(s3: Any, bucket: str) -> Values | None:
    versioning = _versioning(s3, bucket)
    location = s3.get_bucket_location(Bucket=bucket).get("LocationConstraint") or "us-east-1"
    return {
        "id": bucket,
        "bucket": bucket,
        "arn": f"arn:aws:s3:::{bucket}",
        "region": location,
        "server_side_encryption_configuration": [{"rule": rules}]
        if (rules := _encryption_rules(s3, bucket))
        else [],
        "versioning": [
            {
                "enabled": versioning.get("Status") == "Enabled",
                "mfa_delete": versioning.get("MFADelete") == "Enabled",
            }
        ],
        "policy": _policy(s3, bucket),
    }


def _s3_encryption(s3: Any, bucket: str) -> Values | None:
    rules = _encryption_rules(s3, bucket)
    return {"id": bucket, "bucket": bucket, "rule": rules} if rules else None


def _s3_versioning(s3: Any, bucket: str) -> Values | None:
    versioning = _versioning(s3, bucket)
    return {
        "id": bucket,
        "bucket": bucket,
        "versioning_configuration": [
            {
                "status": versioning.get("Status", "Disabled"),
                "mfa_delete": versioning.get("MFADelete", "Disabled"),
            }
        ],
    }


def _s3_public_access_block(s3: Any, bucket: str) -> Values | None:
    answer = absent(lambda: s3.get_public_access_block(Bucket=bucket), "NoSuchPublicAccessBlockConfiguration")
    if answer is None:
        return None
    block = answer["PublicAccessBlockConfiguration"]
    return {
        "id": bucket,
        "bucket": bucket,
        "block_public_acls": bool(block.get("BlockPublicAcls")),
        "block_public_policy": bool(block.get("BlockPublicPolicy")),
        "ignore_public_acls": bool(block.get("IgnorePublicAcls")),
        "restrict_public_buckets": bool(block.get("RestrictPublicBuckets")),
    }


def _s3_policy(s3: Any, bucket: str) -> Values | None:
    policy = _policy(s3, bucket)
    return {"id": bucket, "bucket": bucket, "policy": policy} if policy else None


def _s3_ownership(s3: Any, bucket: str) -> Values | None:
    answer = absent(lambda: s3.get_bucket_ownership_controls(Bucket=bucket), "OwnershipControlsNotFoundError")
    if answer is None:
        return None
    rules = answer["OwnershipControls"]["Rules"]
    return {
        "id": bucket,
        "bucket": bucket,
        "rule": [{"object_ownership": r["ObjectOwnership"]} for r in rules],
    }


def _expiration(item: Mapping[str, Any] | None, days_key: str = "Days") -> list[Values]:
    if not item:
        return []
    return [
        {"days": item.get(days_key), "expired_object_delete_marker": item.get("ExpiredObjectDeleteMarker")}
    ]


def _s3_lifecycle(s3: Any, bucket: str) -> Values | None:
    answer = absent(
        lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket), "NoSuchLifecycleConfiguration"
    )
    if answer is None:
        return None
    rules = [
        {
            "id": r.get("ID"),
            "status": r.get("Status"),
            "expiration": _expiration(r.get("Expiration")),
            "noncurrent_version_expiration": [
                {"noncurrent_days": r["NoncurrentVersionExpiration"].get("NoncurrentDays")}
            ]
            if r.get("NoncurrentVersionExpiration")
            else [],
            "transition": [
                {"days": t.get("Days"), "storage_class": t.get("StorageClass")}
                for t in r.get("Transitions") or ()
            ],
            "abort_incomplete_multipart_upload": [
                {"days_after_initiation": r["AbortIncompleteMultipartUpload"].get("DaysAfterInitiation")}
            ]
            if r.get("AbortIncompleteMultipartUpload")
            else [],
        }
        for r in answer.get("Rules") or ()
    ]
    return {"id": bucket, "bucket": bucket, "rule": rules}


def _s3_replication(s3: Any, bucket: str) -> Values | None:
    answer = absent(lambda: s3.get_bucket_replication(Bucket=bucket), "ReplicationConfigurationNotFoundError")
    if answer is None:
        return None
    config = answer["ReplicationConfiguration"]
    rules = []
    for r in config.get("Rules") or ():
        destination = r.get("Destination") or {}
        replica_key = (destination.get("EncryptionConfiguration") or {}).get("ReplicaKmsKeyID")
        rules.append(
            {
                "id": r.get("ID"),
                "status": r.get("Status"),
                "priority": r.get("Priority"),
                "destination": [
                    {
                        "bucket": destination.get("Bucket"),
                        "storage_class": destination.get("StorageClass"),
                        "encryption_configuration": [{"replica_kms_key_id": replica_key}]
                        if replica_key
                        else [],
                    }
                ],
            }
        )
    return {"id": bucket, "bucket": bucket, "role": config.get("Role"), "rule": rules}


def s3_object(state: Mapping[str, Any], aws: Clients) -> Values | None:
    s3 = _s3(aws)
    bucket, key = str(state["bucket"]), str(state["key"])
    answer = absent(lambda: s3.head_object(Bucket=bucket, Key=key), "404", "NoSuchKey")
    if answer is None:
        return None
    return {
        "id": key,
        "bucket": bucket,
        "key": key,
        "server_side_encryption": answer.get("ServerSideEncryption"),
        "kms_key_id": answer.get("SSEKMSKeyId"),
        "version_id": answer.get("VersionId"),
        "etag": str(answer.get("ETag", "")).strip('"'),
    }


def _efs_file_system(found: Mapping[str, Any], state: Mapping[str, Any], efs: Any) -> Values | None:
    lifecycle = absent(lambda: efs.describe_lifecycle_configuration(FileSystemId=state["id"])) or {}
    return {
        "id": found["FileSystemId"],
        "arn": found.get("FileSystemArn", state.get("arn")),
        "encrypted": bool(found.get("Encrypted")),
        "kms_key_id": found.get("KmsKeyId", ""),
        "performance_mode": found.get("PerformanceMode"),
        "throughput_mode": found.get("ThroughputMode"),
        "lifecycle_policy": [
            {"transition_to_ia": p.get("TransitionToIA"), "transition_to_primary_storage_class": None}
            for p in lifecycle.get("LifecyclePolicies") or ()
        ],
        "tags": {t["Key"]: t["Value"] for t in found.get("Tags") or ()},
    }


def _efs_mount_target(found: Mapping[str, Any], state: Mapping[str, Any], efs: Any) -> Values | None:
    groups = efs.describe_mount_target_security_groups(MountTargetId=state["id"])["SecurityGroups"]
    return {
        "id": found["MountTargetId"],
        "file_system_id": found["FileSystemId"],
        "subnet_id": found["SubnetId"],
        "ip_address": found.get("IpAddress"),
        "security_groups": list(groups),
    }


def _efs_access_point(found: Mapping[str, Any], state: Mapping[str, Any], efs: Any) -> Values | None:
    user = found.get("PosixUser")
    root = found.get("RootDirectory") or {}
    creation = root.get("CreationInfo")
    return {
        "id": found["AccessPointId"],
        "arn": found.get("AccessPointArn"),
        "file_system_id": found["FileSystemId"],
        "posix_user": [{"uid": user.get("Uid"), "gid": user.get("Gid")}] if user else [],
        "root_directory": [
            {
                "path": root.get("Path", "/"),
                "creation_info": [
                    {
                        "owner_uid": creation.get("OwnerUid"),
                        "owner_gid": creation.get("OwnerGid"),
                        "permissions": creation.get("Permissions"),
                    }
                ]
                if creation
                else [],
            }
        ],
    }


def efs_backup_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    efs = aws("efs", region_of(state, aws.region))
    file_system = str(state.get("file_system_id") or state["id"])
    answer = absent(lambda: efs.describe_backup_policy(FileSystemId=file_system), "PolicyNotFound")
    if answer is None:
        return None
    return {
        "id": file_system,
        "file_system_id": file_system,
        "backup_policy": [{"status": answer["BackupPolicy"]["Status"]}],
    }


def efs_file_system_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    efs = aws("efs", region_of(state, aws.region))
    file_system = str(state.get("file_system_id") or state["id"])
    answer = absent(lambda: efs.describe_file_system_policy(FileSystemId=file_system), "PolicyNotFound")
    if answer is None:
        return None
    return {"id": file_system, "file_system_id": file_system, "policy": policy_text(answer.get("Policy"))}


def _enabled(options: Mapping[str, Any] | None) -> bool:
    return bool((options or {}).get("Enabled"))


def _opensearch_domain(found: Mapping[str, Any], state: Mapping[str, Any], client: Any) -> Values | None:
    at_rest = found.get("EncryptionAtRestOptions") or {}
    endpoint = found.get("DomainEndpointOptions") or {}
    security = found.get("AdvancedSecurityOptions") or {}
    vpc = found.get("VPCOptions")
    cluster = found.get("ClusterConfig") or {}
    return {
        "id": found.get("ARN"),
        "arn": found.get("ARN"),
        "domain_name": found["DomainName"],
        "engine_version": found.get("EngineVersion"),
        "encrypt_at_rest": [{"enabled": _enabled(at_rest), "kms_key_id": at_rest.get("KmsKeyId", "")}],
        "node_to_node_encryption": [{"enabled": _enabled(found.get("NodeToNodeEncryptionOptions"))}],
        "domain_endpoint_options": [
            {
                "enforce_https": bool(endpoint.get("EnforceHTTPS")),
                "tls_security_policy": endpoint.get("TLSSecurityPolicy"),
                "custom_endpoint_enabled": bool(endpoint.get("CustomEndpointEnabled")),
            }
        ],
        "advanced_security_options": [
            {
                "enabled": bool(security.get("Enabled")),
                "internal_user_database_enabled": bool(security.get("InternalUserDatabaseEnabled")),
                "anonymous_auth_enabled": bool(security.get("AnonymousAuthEnabled")),
            }
        ],
        "vpc_options": [
            {
                "subnet_ids": list(vpc.get("SubnetIds") or ()),
                "security_group_ids": list(vpc.get("SecurityGroupIds") or ()),
                "vpc_id": vpc.get("VPCId"),
                "availability_zones": list(vpc.get("AvailabilityZones") or ()),
            }
        ]
        if vpc
        else [],
        "log_publishing_options": [
            {
                "log_type": kind,
                "cloudwatch_log_group_arn": o.get("CloudWatchLogsLogGroupArn"),
                "enabled": _enabled(o),
            }
            for kind, o in sorted((found.get("LogPublishingOptions") or {}).items())
        ],
        "access_policies": policy_text(found.get("AccessPolicies")),
        "cluster_config": [
            {
                "instance_type": cluster.get("InstanceType"),
                "instance_count": cluster.get("InstanceCount"),
                "zone_awareness_enabled": bool(cluster.get("ZoneAwarenessEnabled")),
                "dedicated_master_enabled": bool(cluster.get("DedicatedMasterEnabled")),
            }
        ],
        "endpoint": found.get("Endpoint") or (found.get("Endpoints") or {}).get("vpc"),
    }


def _kms_key(found: Mapping[str, Any], state: Mapping[str, Any], kms: Any) -> Values | None:
    if found.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
        return None
    rotation = absent(
        lambda: kms.get_key_rotation_status(KeyId=found["KeyId"]), "UnsupportedOperationException"
    )
    policy = kms.get_key_policy(KeyId=found["KeyId"], PolicyName="default").get("Policy")
    return {
        "id": found["KeyId"],
        "key_id": found["KeyId"],
        "arn": found["Arn"],
        "description": found.get("Description", ""),
        "key_usage": found.get("KeyUsage"),
        "customer_master_key_spec": found.get("KeySpec") or found.get("CustomerMasterKeySpec"),
        "is_enabled": bool(found.get("Enabled")),
        "enable_key_rotation": bool((rotation or {}).get("KeyRotationEnabled")),
        "multi_region": bool(found.get("MultiRegion")),
        "policy": policy_text(policy),
    }


def kms_alias(state: Mapping[str, Any], aws: Clients) -> Values | None:
    kms = aws("kms", region_of(state, aws.region))
    name = str(state.get("name") or state["id"])
    for page in kms.get_paginator("list_aliases").paginate():
        for alias in page.get("Aliases") or ():
            if alias["AliasName"] == name:
                target = alias.get("TargetKeyId")
                key_arn = kms.describe_key(KeyId=target)["KeyMetadata"]["Arn"] if target else None
                return {
                    "id": name,
                    "name": name,
                    "arn": alias.get("AliasArn"),
                    "target_key_id": target,
                    "target_key_arn": key_arn,
                }
    return None


def secret(state: Mapping[str, Any], aws: Clients) -> Values | None:
    client = aws("secretsmanager", region_of(state, aws.region))
    found = absent(lambda: client.describe_secret(SecretId=state["arn"]))
    if found is None or found.get("DeletedDate"):
        return None
    policy = absent(lambda: client.get_resource_policy(SecretId=state["arn"])) or {}
    return {
        "id": found["ARN"],
        "arn": found["ARN"],
        "name": found["Name"],
        "description": found.get("Description", ""),
        "kms_key_id": found.get("KmsKeyId", ""),
        "policy": policy_text(policy.get("ResourcePolicy")),
        "replica": [
            {"region": r.get("Region"), "kms_key_id": r.get("KmsKeyId")}
            for r in found.get("ReplicationStatus") or ()
        ],
    }


def secret_rotation(state: Mapping[str, Any], aws: Clients) -> Values | None:
    client = aws("secretsmanager", region_of(state, aws.region))
    secret_id = str(state.get("secret_id") or state["id"])
    found = absent(lambda: client.describe_secret(SecretId=secret_id))
    if found is None or not found.get("RotationEnabled"):
        return None
    rules = found.get("RotationRules") or {}
    return {
        "id": found["ARN"],
        "secret_id": found["ARN"],
        "rotation_enabled": True,
        "rotation_lambda_arn": found.get("RotationLambdaARN", ""),
        "rotation_rules": [
            {
                "automatically_after_days": rules.get("AutomaticallyAfterDays"),
                "schedule_expression": rules.get("ScheduleExpression", ""),
                "duration": rules.get("Duration", ""),
            }
        ],
    }


def secret_version(state: Mapping[str, Any], aws: Clients) -> Values | None:
    """That the version exists and its stages; the secret value itself is never fetched."""
    client = aws("secretsmanager", region_of(state, aws.region))
    secret_id = str(state["secret_id"])
    found = absent(lambda: client.describe_secret(SecretId=secret_id))
    version = str(state.get("version_id", ""))
    stages = ((found or {}).get("VersionIdsToStages") or {}).get(version)
    if stages is None:
        return None
    return {
        "id": state.get("id"),
        "secret_id": found["ARN"] if found else secret_id,
        "version_stages": stages,
    }


def ssm_parameter(state: Mapping[str, Any], aws: Clients) -> Values | None:
    """Type, key and tier from DescribeParameters; the value only for plain String parameters."""
    ssm = aws("ssm", region_of(state, aws.region))
    name = str(state.get("name") or state["id"])
    answer = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [name]}])
    found = next(iter(answer.get("Parameters") or ()), None)
    if found is None:
        return None
    values: Values = {
        "id": name,
        "arn": state.get("arn"),
        "name": name,
        "type": found.get("Type"),
        "key_id": found.get("KeyId", ""),
        "tier": found.get("Tier", "Standard"),
        "description": found.get("Description", ""),
    }
    if found.get("Type") == "String":
        values["value"] = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    return values


def log_group(state: Mapping[str, Any], aws: Clients) -> Values | None:
    logs = aws("logs", region_of(state, aws.region))
    name = str(state.get("name") or state["id"])
    for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=name):
        for found in page.get("logGroups") or ():
            if found["logGroupName"] == name:
                return {
                    "id": name,
                    "name": name,
                    "arn": str(found.get("arn", state.get("arn", ""))).removesuffix(":*"),
                    "kms_key_id": found.get("kmsKeyId", ""),
                    "retention_in_days": found.get("retentionInDays", 0),
                    "log_group_class": found.get("logGroupClass", "STANDARD"),
                }
    return None


def log_resource_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    logs = aws("logs", region_of(state, aws.region))
    name = str(state.get("policy_name") or state["id"])
    for found in logs.describe_resource_policies().get("resourcePolicies") or ():
        if found["policyName"] == name:
            return {"id": name, "policy_name": name, "policy_document": policy_text(found["policyDocument"])}
    return None


def ecr_repository(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecr = aws("ecr", region_of(state, aws.region))
    name = str(state.get("name") or state["id"])
    answer = absent(lambda: ecr.describe_repositories(repositoryNames=[name]))
    repositories = (answer or {}).get("repositories") or []
    if not repositories:
        return None
    found = repositories[0]
    encryption = found.get("encryptionConfiguration") or {}
    return {
        "id": name,
        "name": name,
        "arn": found["repositoryArn"],
        "repository_url": found.get("repositoryUri"),
        "image_tag_mutability": found.get("imageTagMutability"),
        "image_scanning_configuration": [
            {"scan_on_push": bool((found.get("imageScanningConfiguration") or {}).get("scanOnPush"))}
        ],
        "encryption_configuration": [
            {
                "encryption_type": encryption.get("encryptionType", "AES256"),
                "kms_key": encryption.get("kmsKey", ""),
            }
        ],
    }


def ecr_repository_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecr = aws("ecr", region_of(state, aws.region))
    name = str(state.get("repository") or state["id"])
    answer = absent(
        lambda: ecr.get_repository_policy(repositoryName=name), "RepositoryPolicyNotFoundException"
    )
    if answer is None:
        return None
    return {"id": name, "repository": name, "policy": policy_text(answer.get("policyText"))}


def ecr_lifecycle_policy(state: Mapping[str, Any], aws: Clients) -> Values | None:
    ecr = aws("ecr", region_of(state, aws.region))
    name = str(state.get("repository") or state["id"])
    answer = absent(lambda: ecr.get_lifecycle_policy(repositoryName=name), "LifecyclePolicyNotFoundException")
    if answer is None:
        return None
    return {"id": name, "repository": name, "policy": policy_text(answer.get("lifecyclePolicyText"))}


DESCRIBERS = {
    "aws_s3_bucket": _per_bucket(_s3_bucket),
    "aws_s3_bucket_server_side_encryption_configuration": _per_bucket(_s3_encryption),
    "aws_s3_bucket_versioning": _per_bucket(_s3_versioning),
    "aws_s3_bucket_public_access_block": _per_bucket(_s3_public_access_block, existing=False),
    "aws_s3_bucket_policy": _per_bucket(_s3_policy),
    "aws_s3_bucket_ownership_controls": _per_bucket(_s3_ownership, existing=False),
    "aws_s3_bucket_lifecycle_configuration": _per_bucket(_s3_lifecycle, existing=False),
    "aws_s3_bucket_replication_configuration": _per_bucket(_s3_replication, existing=False),
    "aws_s3_object": s3_object,
    "aws_efs_file_system": described(
        Lookup("efs", "describe_file_systems", "FileSystemId", "FileSystems", listed=False), _efs_file_system
    ),
    "aws_efs_mount_target": described(
        Lookup("efs", "describe_mount_targets", "MountTargetId", "MountTargets", listed=False),
        _efs_mount_target,
    ),
    "aws_efs_access_point": described(
        Lookup("efs", "describe_access_points", "AccessPointId", "AccessPoints", listed=False),
        _efs_access_point,
    ),
    "aws_efs_backup_policy": efs_backup_policy,
    "aws_efs_file_system_policy": efs_file_system_policy,
    "aws_opensearch_domain": described(
        Lookup(
            "opensearch",
            "describe_domain",
            "DomainName",
            "DomainStatus",
            identifier="domain_name",
            listed=False,
        ),
        _opensearch_domain,
    ),
    "aws_kms_key": described(Lookup("kms", "describe_key", "KeyId", "KeyMetadata", listed=False), _kms_key),
    "aws_kms_alias": kms_alias,
    "aws_secretsmanager_secret": secret,
    "aws_secretsmanager_secret_rotation": secret_rotation,
    "aws_secretsmanager_secret_version": secret_version,
    "aws_ssm_parameter": ssm_parameter,
    "aws_cloudwatch_log_group": log_group,
    "aws_cloudwatch_log_resource_policy": log_resource_policy,
    "aws_ecr_repository": ecr_repository,
    "aws_ecr_repository_policy": ecr_repository_policy,
    "aws_ecr_lifecycle_policy": ecr_lifecycle_policy,
}
