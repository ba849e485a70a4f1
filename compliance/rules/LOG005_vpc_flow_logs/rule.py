"""Every VPC has a flow log capturing ALL traffic."""

from __future__ import annotations

from compliance.analysis.references import companions
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def check(resource: Resource, model: Model) -> Result:
    kinds: list[str] = []
    doubtful = False
    for log, targets in companions(resource, model, "aws_flow_log", "vpc_id"):
        if targets is None:
            doubtful = True
            continue
        traffic = log.values.get("traffic_type")
        if isinstance(traffic, Unknown):
            doubtful = True
        elif isinstance(traffic, str) and traffic.upper() == "ALL":
            return passed(f"flow log {log.address} captures ALL traffic")
        else:
            kinds.append(f"{log.address} captures only {traffic}")
    if doubtful:
        return unknown("a flow log's VPC or traffic_type is not known before apply")
    if kinds:
        return failed("; ".join(kinds) + ": traffic_type ALL is needed to trace accepted connections")
    return failed("no aws_flow_log has vpc_id referencing this VPC")


RULE = Rule(
    id="LOG005",
    title="VPC flow logs capture all traffic",
    severity=Severity.MEDIUM,
    types=("aws_vpc", "aws_default_vpc"),
    rationale=(
        "Flow logs are the only record of which addresses reached the data stores holding PHI. REJECT-only "
        "logs miss the accepted connections an investigation needs; subnet or ENI logs miss the rest of the VPC. "
        "The default VPC (aws_default_vpc) is judged too: it is where resources launched without a subnet land."
    ),
    remediation='Add an aws_flow_log with vpc_id = aws_vpc.this.id and traffic_type = "ALL", delivered to a '
    "log group or bucket with retention.",
    controls={"HIPAA": ("164.312(b)", "164.308(a)(1)(ii)(D)"), "PIPEDA": ("4.7.1",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
)
