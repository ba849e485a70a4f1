"""What the seeded-violation root (tests/integration/violations/main.tf) must fail, stated in full.

Each (rule, resource) below is a violation seeded on purpose; a scan that fails one more or one fewer fails
the test. Applied objects are judged in every form (HCL, plan, live); the provider configuration and the
default VPC exist only in the configuration (HCL and plan), so live cannot judge them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent / "violations"

BUCKET = "aws_s3_bucket.unencrypted"
WORLD_SG = "aws_security_group.world_bolt"
WILDCARD = "aws_iam_policy.wildcard"
PUBLIC_SERVICE = "aws_ecs_service.public"
SEARCH = "aws_opensearch_domain.no_node_to_node"
KEY_OUTSIDE_CANADA = "module.kms_us.aws_kms_key.this"

# Failed on applied objects: by the HCL+plan scan and by the live scan alike.
APPLIED_FAILS: frozenset[tuple[str, str]] = frozenset(
    {
        ("ENC007", BUCKET),  # no encryption configuration
        ("ENC008", BUCKET),  # a data bucket without a customer-managed key
        ("BAK002", BUCKET),  # not versioned
        ("ENC050", BUCKET),  # no TLS-only bucket policy
        ("IAM050", BUCKET),  # no public access block
        ("LOG008", BUCKET),  # no server access logging
        ("NET010", WORLD_SG),  # ingress from 0.0.0.0/0
        ("NET011", WORLD_SG),  # Neo4j's Bolt port open beyond the VPC
        ("IAM001", WILDCARD),  # Action "*"
        ("IAM002", WILDCARD),  # Resource "*" for scopable actions
        ("IAM004", WILDCARD),  # iam:PassRole on any role
        ("IAM008", WILDCARD),  # iam:PassRole to any service
        ("IAM010", WILDCARD),  # privilege escalation paths
        ("NET002", PUBLIC_SERVICE),  # tasks get a public IP
        ("ENC005", SEARCH),  # no node-to-node encryption
        ("NET004", SEARCH),  # public endpoint (no VPC)
        ("LOG006", SEARCH),  # no audit and slow logs
        ("RES008", KEY_OUTSIDE_CANADA),  # a key that decrypts health data, located in us-east-1
        ("MON001", BUCKET),  # a data bucket no metric alarm watches
        ("MON001", SEARCH),  # nor this domain
    }
)

# Failed only where the configuration exists: the provider in us-east-1 and the unmanaged default VPC.
CONFIG_FAILS: frozenset[tuple[str, str]] = frozenset(
    {
        ("RES001", "provider.aws.replica"),  # module.kms_us's key lands in us-east-1
        ("LOG005", "data.aws_vpc.default"),  # the default VPC has no flow logs
        ("NET014", "data.aws_vpc.default"),  # nor a managed default security group
    }
)

# Unknown everywhere: the default VPC's route tables are not in the configuration, nor in its state.
UNKNOWNS: frozenset[tuple[str, str]] = frozenset({("NET003", PUBLIC_SERVICE)})
