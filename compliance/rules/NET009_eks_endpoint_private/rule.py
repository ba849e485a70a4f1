"""EKS cluster API endpoints are private, or public only to named address ranges."""

from __future__ import annotations

from compliance.analysis.ingress import is_world, network_of
from compliance.analysis.values import blocks, truth
from compliance.model import Model, Resource, Result, Rule, Severity, Status, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    configs = blocks(resource.values, "vpc_config")
    if isinstance(configs, Unknown) or not configs:
        return unknown("vpc_config is not known before apply")
    config = configs[0]
    public = config.get("endpoint_public_access")
    status = Status.PASS if public is None else truth(public)  # the API defaults to a public endpoint
    if status is Status.FAIL:
        return passed("vpc_config.endpoint_public_access is false")
    if status is Status.UNKNOWN:
        return unknown("vpc_config.endpoint_public_access is not known before apply")
    cidrs = config.get("public_access_cidrs")
    source = "vpc_config.public_access_cidrs"
    if cidrs is None or cidrs == []:
        cidrs, source = ["0.0.0.0/0"], "vpc_config.public_access_cidrs unset: the EKS default"
    if isinstance(cidrs, Unknown):
        return unknown("public endpoint with vpc_config.public_access_cidrs not known before apply")
    wide = [c for c in cidrs if isinstance(c, str) and _wide(c)]
    if wide:
        return failed(f"public endpoint open to {', '.join(wide)} ({source})")
    if not all(isinstance(c, str) for c in cidrs):
        return unknown("public endpoint with a vpc_config.public_access_cidrs item not known before apply")
    return passed(f"public endpoint limited to {', '.join(cidrs)} ({source})")


def _wide(cidr: str) -> bool:
    network = network_of(cidr)
    return network is None or is_world(network)


RULE = Rule(
    id="NET009",
    title="EKS API endpoint is private or limited to named address ranges",
    severity=Severity.HIGH,
    types=("aws_eks_cluster",),
    rationale="The Kubernetes API controls every workload and secret in the cluster. EKS makes it public "
    "to 0.0.0.0/0 unless told otherwise; a public endpoint is accepted only when public_access_cidrs names "
    "ranges narrower than the internet at large (offices, CI runners).",
    remediation="Set vpc_config.endpoint_private_access = true and endpoint_public_access = false, or keep "
    "the public endpoint with public_access_cidrs limited to known ranges.",
    controls={"HIPAA": ("164.312(a)(1)", "164.312(e)(1)"), "PIPEDA": ("4.7.1", "4.7.3")},
    check=check,
    help_uri="https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
)
