"""ENC rules (encryption at rest and in transit), in id order."""

from __future__ import annotations

from compliance.model import Rule
from compliance.rules.ENC001_efs_encrypted.rule import RULE as ENC001
from compliance.rules.ENC002_ecs_efs_transit_encryption.rule import RULE as ENC002
from compliance.rules.ENC003_ecs_efs_access_point_iam.rule import RULE as ENC003
from compliance.rules.ENC004_opensearch_encrypted_at_rest.rule import RULE as ENC004
from compliance.rules.ENC005_opensearch_node_to_node_encryption.rule import RULE as ENC005
from compliance.rules.ENC006_opensearch_https_tls12.rule import RULE as ENC006
from compliance.rules.ENC007_s3_bucket_encryption_configured.rule import RULE as ENC007
from compliance.rules.ENC008_s3_data_bucket_kms.rule import RULE as ENC008
from compliance.rules.ENC009_secretsmanager_cmk.rule import RULE as ENC009
from compliance.rules.ENC010_cloudwatch_log_group_kms.rule import RULE as ENC010
from compliance.rules.ENC011_ecr_kms.rule import RULE as ENC011
from compliance.rules.ENC012_lb_listener_tls.rule import RULE as ENC012
from compliance.rules.ENC013_elb_listener_tls.rule import RULE as ENC013
from compliance.rules.ENC014_rds_instance_encrypted.rule import RULE as ENC014
from compliance.rules.ENC015_rds_cluster_encrypted.rule import RULE as ENC015
from compliance.rules.ENC016_neptune_cluster_encrypted.rule import RULE as ENC016
from compliance.rules.ENC017_docdb_cluster_encrypted.rule import RULE as ENC017
from compliance.rules.ENC018_database_cmk.rule import RULE as ENC018
from compliance.rules.ENC019_ebs_volume_encrypted.rule import RULE as ENC019
from compliance.rules.ENC020_instance_block_devices_encrypted.rule import RULE as ENC020
from compliance.rules.ENC021_launch_template_ebs_encrypted.rule import RULE as ENC021
from compliance.rules.ENC022_sqs_encrypted.rule import RULE as ENC022
from compliance.rules.ENC023_sns_encrypted.rule import RULE as ENC023
from compliance.rules.ENC024_dynamodb_cmk.rule import RULE as ENC024
from compliance.rules.ENC025_kinesis_stream_encrypted.rule import RULE as ENC025
from compliance.rules.ENC026_backup_vault_cmk.rule import RULE as ENC026
from compliance.rules.ENC027_kms_key_rotation.rule import RULE as ENC027
from compliance.rules.ENC028_elasticache_encrypted_at_rest.rule import RULE as ENC028
from compliance.rules.ENC029_elasticache_encrypted_in_transit.rule import RULE as ENC029
from compliance.rules.ENC030_msk_encrypted_in_transit.rule import RULE as ENC030
from compliance.rules.ENC050_s3_tls_only_policy.rule import RULE as ENC050

RULES: tuple[Rule, ...] = (
    ENC001,
    ENC002,
    ENC003,
    ENC004,
    ENC005,
    ENC006,
    ENC007,
    ENC008,
    ENC009,
    ENC010,
    ENC011,
    ENC012,
    ENC013,
    ENC014,
    ENC015,
    ENC016,
    ENC017,
    ENC018,
    ENC019,
    ENC020,
    ENC021,
    ENC022,
    ENC023,
    ENC024,
    ENC025,
    ENC026,
    ENC027,
    ENC028,
    ENC029,
    ENC030,
    ENC050,
)
