"""S3 bucket policies deny every request that does not use TLS, on the bucket and on its objects."""

from __future__ import annotations

from fnmatch import fnmatchcase

from compliance.analysis.policy import Document, Statement, read_policy, resource_policy
from compliance.analysis.references import companions
from compliance.model import Model, Resource, Result, Rule, Severity, Unknown, failed, passed, unknown


def _denies_plain_http(statement: Statement) -> bool | None:
    """Deny, to every principal, of every S3 action, when aws:SecureTransport is false (None: unknown)."""
    if not isinstance(statement.effect, str) or statement.effect.lower() != "deny":
        return None if statement.effect_unknown else False
    everyone = any(p.kind in ("*", "AWS") and p.id == "*" for p in statement.principals)
    every_action = any(isinstance(a, str) and a.lower() in ("*", "s3:*") for a in statement.actions)
    tests = [
        c
        for c in statement.conditions
        if c.operator.lower() in ("bool", "boolifexists") and c.key.lower() == "aws:securetransport"
    ]
    insecure = any(isinstance(v, str) and v.lower() == "false" for c in tests for v in c.values)
    if everyone and every_action and insecure:
        return True
    unknowns = [
        *statement.actions,
        *(p.id for p in statement.principals),
        *(v for c in tests for v in c.values),
    ]
    return None if any(isinstance(u, Unknown) for u in unknowns) else False


def _coverage(statement: Statement, bucket: Resource, model: Model) -> tuple[set[str], bool]:
    """Which of "bucket" and "objects" the statement's resources cover, and whether some entry is unknown."""
    name = bucket.values.get("bucket")
    covered: set[str] = set()
    references = 0
    doubtful = False
    for entry in statement.resources:
        if isinstance(entry, Unknown):
            named = [r.address for ref in entry.refs for r in model.resolve(ref)]
            references += bucket.address in named
            doubtful |= not named
        elif isinstance(name, str) and name:
            covered |= {"bucket"} if fnmatchcase(f"arn:aws:s3:::{name}", entry) else set()
            covered |= {"objects"} if fnmatchcase(f"arn:aws:s3:::{name}/key", entry) else set()
        else:
            covered |= {"bucket", "objects"} if entry == "*" else set()
            doubtful |= entry != "*"
    if references >= 2 or (references == 1 and covered):
        covered = {"bucket", "objects"}  # the ARN and "${arn}/*": both reference the bucket
    elif references == 1:
        doubtful = True
    return covered, doubtful


def _policies(bucket: Resource, model: Model) -> list[tuple[str, Document | None]]:
    found: list[tuple[str, Document | None]] = []
    inline = resource_policy(bucket, model)
    if inline is not None:
        found.append(("policy", inline))
    for policy, named in companions(bucket, model, "aws_s3_bucket_policy", "bucket", keys=("bucket",)):
        document = read_policy(policy.values.get("policy"), model) if named else None
        found.append((policy.address, document))
    return found


def check(resource: Resource, model: Model) -> Result:
    policies = _policies(resource, model)
    if not policies:
        return failed("no bucket policy: requests over plain HTTP are allowed")
    doubtful: list[str] = []
    partial: list[str] = []
    for label, document in policies:
        if document is None or not document.complete:
            doubtful.append(f"{label} is not known before apply")
            continue
        for statement in document.statements:
            denies = _denies_plain_http(statement)
            if denies is None:
                doubtful.append(f"{label} {statement.label} is not known before apply")
            if not denies:
                continue
            covered, unsure = _coverage(statement, resource, model)
            if covered == {"bucket", "objects"}:
                return passed(f"{label} {statement.label} denies aws:SecureTransport = false")
            if unsure:
                doubtful.append(f"{label} {statement.label} resources are not known before apply")
            else:
                partial.append(
                    f"{label} {statement.label} covers only {', '.join(sorted(covered)) or 'other resources'}"
                )
    if doubtful:
        return unknown("; ".join(doubtful))
    if partial:
        return failed("; ".join(partial) + ": both the bucket ARN and ARN/* must be denied")
    return failed("no statement denies s3:* to all principals when aws:SecureTransport is false")


RULE = Rule(
    id="ENC050",
    title="S3 buckets refuse requests that do not use TLS",
    severity=Severity.HIGH,
    types=("aws_s3_bucket",),
    rationale=(
        "S3 answers plain HTTP unless a bucket policy denies it. Without a Deny on aws:SecureTransport = "
        "false for every principal, on the bucket and on its objects, a misconfigured client can send or "
        "fetch PHI unencrypted."
    ),
    remediation='Add a bucket policy statement: Effect Deny, Principal "*", Action "s3:*", Resource '
    '[bucket ARN, "${bucket ARN}/*"], Condition Bool aws:SecureTransport = "false".',
    controls={"HIPAA": ("164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"), "PIPEDA": ("4.7.3",)},
    check=check,
    help_uri="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit",
)
