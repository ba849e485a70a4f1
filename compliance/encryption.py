"""What the ENC rules share: who owns a KMS key, which TLS policies are modern, how an S3 bucket's
encryption and log-delivery role are configured, and the account-wide EBS default.

Each helper answers with a Status and a message naming the attribute, so rules stay small and speak
the same way. A value that cannot be known is UNKNOWN; a missing setting means the AWS default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from compliance import attachments
from compliance.model import Model, Resource, Result, Status, Unknown
from compliance.values import blocks, describe, get, is_set, truth

# --- results ---------------------------------------------------------------------------------------------

_WORST = (Status.FAIL, Status.UNKNOWN, Status.PASS)


def combine(results: Iterable[Result]) -> Result | None:
    """One result for many parts (volumes, listeners, devices), or None when there are no parts."""
    listed = list(results)
    return worst(listed) if listed else None


def worst(results: Sequence[Result]) -> Result:
    """The worst status among `results` (FAIL, then UNKNOWN, then PASS), with the messages that have it."""
    for status in _WORST:
        messages = [result.message for result in results if result.status is status]
        if messages:
            return Result(status, "; ".join(messages))
    raise ValueError("worst() needs at least one result")


def switch(resource: Resource, block: str, flag: str) -> tuple[Result, Mapping[str, Any]]:
    """The boolean `flag` of a single nested `block` (encrypt_at_rest.enabled...), and the block.
    An absent block fails: these switches are all off by default."""
    configs = blocks(resource.values, block)
    if isinstance(configs, Unknown):
        return Result(Status.UNKNOWN, f"{block} is not known before apply"), {}
    if not configs:
        return Result(Status.FAIL, f"{block} is not configured (off by default)"), {}
    value = configs[0].get(flag)
    return Result(truth(value), f"{block}.{flag} is {describe(value)}"), configs[0]


# --- KMS keys -------------------------------------------------------------------------------------------

# AWS-managed keys are addressed by the reserved alias prefix alias/aws/ (alias/aws/s3, alias/aws/rds...).
_AWS_MANAGED_ALIAS = re.compile(r"(^|:)alias/aws/")
# Data sources that look up an existing key by a name we can read statically.
_KEY_LOOKUPS = {"aws_kms_alias": "name", "aws_kms_key": "key_id"}


def customer_managed_key(value: Any, attribute: str, model: Model) -> Result:
    """Is `value` a customer-managed KMS key? Unset means the service's AWS-managed (or AWS-owned) key;
    an alias under alias/aws/ (literal or looked up by a data source) is AWS-managed too."""
    if isinstance(value, Unknown):
        if not value.refs:
            return Result(Status.UNKNOWN, f"{attribute} is not known before apply")
        if not any(model.resolve(ref) for ref in value.refs):
            return Result(Status.UNKNOWN, f"{attribute} references {value.refs[0]}, which is not in the scan")
        managed = _aws_managed_lookup(value.refs, model)
        if managed:
            return Result(Status.FAIL, f"{attribute} looks up the AWS-managed key {managed!r}")
        return Result(Status.PASS, f"{attribute} references {value.refs[0]}")
    if is_set(value) is Status.FAIL:
        return Result(Status.FAIL, f"{attribute} is {describe(value)}: the AWS-managed key is used")
    if not isinstance(value, str):
        return Result(Status.UNKNOWN, f"{attribute} is {describe(value)}, not a key id")
    if _AWS_MANAGED_ALIAS.search(value):
        return Result(Status.FAIL, f"{attribute} is the AWS-managed key {describe(value)}")
    return Result(Status.PASS, f"{attribute} is {describe(value)}")


def _aws_managed_lookup(refs: Iterable[str], model: Model) -> str:
    """The alias/aws/... name a referenced kms data source looks up, or ''."""
    for ref in refs:
        for found in model.resolve(ref):
            name = found.values.get(_KEY_LOOKUPS.get(found.type, ""))
            if found.mode == "data" and isinstance(name, str) and _AWS_MANAGED_ALIAS.search(name):
                return name
    return ""


def key_is_set(value: Any, attribute: str) -> Result:
    """Any KMS key (AWS-managed accepted): for transient data (queues, topics, streams)."""
    status = is_set(value)
    if status is Status.UNKNOWN:
        return Result(status, f"{attribute} is not known before apply")
    if isinstance(value, Unknown):
        return Result(status, f"{attribute} references {value.refs[0]}")
    return Result(status, f"{attribute} is {describe(value)}")


# --- TLS policies ---------------------------------------------------------------------------------------

# Predefined policy names carry their minimum TLS version: ELBSecurityPolicy-TLS13-1-2-2021-06,
# ELBSecurityPolicy-TLS-1-2-2017-01, ELBSecurityPolicy-FS-1-2-Res-2020-10 (ALB, NLB and classic ELB), and
# Policy-Min-TLS-1-2-PFS-2023-10 (OpenSearch). Older names (ELBSecurityPolicy-2016-08,
# ELBSecurityPolicy-FS-2018-06, Policy-Min-TLS-1-0-2019-07) allow TLS 1.0 and do not match.
_TLS_FLOOR = re.compile(r"^(?:ELBSecurityPolicy-(?:TLS13|TLS|FS)|Policy-Min-TLS)-1-(\d)-")
MINIMUM_TLS_MINOR = 2


def tls_policy(value: Any, attribute: str, default: str) -> Result:
    """Does the named policy (or the AWS default when unset) refuse everything below TLS 1.2?"""
    if isinstance(value, Unknown):
        return Result(Status.UNKNOWN, f"{attribute} is not known before apply")
    if value is None or value == "":
        return Result(Status.FAIL, f"{attribute} is unset: the AWS default {default} allows TLS 1.0")
    match = _TLS_FLOOR.match(str(value))
    if match and int(match.group(1)) >= MINIMUM_TLS_MINOR:
        return Result(Status.PASS, f"{attribute} is {describe(value)} (TLS 1.{match.group(1)}+)")
    return Result(Status.FAIL, f"{attribute} is {describe(value)}, which allows TLS below 1.2")


# Ports registered for a TLS-wrapped protocol: a TCP/UDP pass-through there most likely carries TLS
# end to end, but only the targets can prove it.
TLS_PORTS = {
    443: "HTTPS",
    8443: "HTTPS",
    636: "LDAPS",
    853: "DNS over TLS",
    993: "IMAPS",
    995: "POP3S",
    5671: "AMQPS",
    5986: "WinRM HTTPS",
    6514: "syslog over TLS",
    8883: "MQTT over TLS",
}


def pass_through(protocol: str, port: Any) -> Result:
    """A TCP/UDP listener shows no encryption: UNKNOWN on a TLS port (the targets may terminate TLS),
    FAIL elsewhere."""
    if isinstance(port, Unknown):
        return Result(Status.UNKNOWN, f"protocol {protocol!r} on a port not known before apply")
    if port in TLS_PORTS:
        return Result(
            Status.UNKNOWN,
            f"protocol {protocol!r} passes port {port} ({TLS_PORTS[port]}) through: "
            "only the targets can show that TLS is terminated there",
        )
    return Result(Status.FAIL, f"protocol {protocol!r} on port {describe(port)} carries cleartext")


def classic_negotiation(elb: Resource, port: Any, model: Model) -> list[tuple[str, dict[str, Any]]]:
    """(where, {attribute: value}) of the SSL negotiation policies on a classic ELB listener port:
    aws_lb_ssl_negotiation_policy, or aws_load_balancer_policy assigned by aws_load_balancer_listener_policy."""
    names = (elb.values.get("name"),)
    found: list[tuple[str, dict[str, Any]]] = []
    direct, _ = linked(elb, model, ("aws_lb_ssl_negotiation_policy",), "load_balancer", names)
    found += [
        (p.address, _attributes(p.values, "attribute")) for p in direct if p.values.get("lb_port") == port
    ]
    assigned, _ = linked(elb, model, ("aws_load_balancer_listener_policy",), "load_balancer_name", names)
    for listener_policy in assigned:
        if listener_policy.values.get("load_balancer_port") != port:
            continue
        for policy in _named_policies(listener_policy.values.get("policy_names"), model):
            if policy.values.get("policy_type_name") == "SSLNegotiationPolicyType":
                found.append((policy.address, _attributes(policy.values, "policy_attribute")))
    return found


def _named_policies(value: Any, model: Model) -> Iterator[Resource]:
    items = value if isinstance(value, list | tuple) else [value]
    for policy in model.of_type("aws_load_balancer_policy"):
        if any(attachments.names(item, policy, model, ("policy_name",)) for item in items):
            yield policy


def _attributes(values: Mapping[str, Any], block: str) -> dict[str, Any]:
    found = blocks(values, block)
    return {} if isinstance(found, Unknown) else {str(a.get("name")): a.get("value") for a in found}


# --- references between resources ------------------------------------------------------------------------


def linked(
    target: Resource, model: Model, types: tuple[str, ...], attribute: str, names: Iterable[Any] = ()
) -> tuple[list[Resource], bool]:
    """Resources of `types` whose `attribute` names `target` (by reference or by one of its literal
    `names`), and whether another one might (an unknown value without references)."""
    links = attachments.links(model, types, attribute)
    found = {other.address: other for other in links.by_address.get(target.address, ())}
    for name in names:
        if isinstance(name, str):
            found.update((other.address, other) for other in links.by_name.get(name, ()))
    found.pop(target.address, None)
    maybe = any(other.address != target.address for other in links.anonymous)
    return list(found.values()), maybe


# --- S3 -------------------------------------------------------------------------------------------------

SSE_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")
SSE_CONFIG = "aws_s3_bucket_server_side_encryption_configuration"


def sse_defaults(bucket: Resource, model: Model) -> tuple[list[tuple[str, Mapping[str, Any]]], bool]:
    """(where, apply_server_side_encryption_by_default) pairs that configure the bucket's default
    encryption, from separate configuration resources or the legacy inline block, and whether an
    unresolvable configuration might also apply."""
    configs, maybe = linked(bucket, model, (SSE_CONFIG,), "bucket", (bucket.values.get("bucket"),))
    found = [(config.address, default) for config in configs for default in _defaults(config.values)]
    inline = blocks(bucket.values, "server_side_encryption_configuration")
    if isinstance(inline, Unknown):
        maybe = True
    else:
        found += [("server_side_encryption_configuration", d) for c in inline for d in _defaults(c)]
    return found, maybe


def _defaults(config: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    rules = blocks(config, "rule")
    for rule in rules if isinstance(rules, list) else ():
        defaults = blocks(rule, "apply_server_side_encryption_by_default")
        yield from defaults if isinstance(defaults, list) else ({"sse_algorithm": defaults},)


# Services that deliver logs into a bucket and support only SSE-S3 there: ALB and classic ELB access
# logs, S3 server access logs, CloudFront standard logs. NLB, VPC flow logs and CloudTrail accept KMS.
LOG_DELIVERY_PRINCIPALS = {
    "logdelivery.elasticloadbalancing.amazonaws.com": "ELB access logs",
    "logging.s3.amazonaws.com": "S3 server access logs",
}
# The ELB account of each region that predates the log-delivery service principal (ca-central-1 among
# them): a bucket policy granting one of these receives ELB access logs.
ELB_LOG_ACCOUNTS = frozenset(
    {
        "127311923021", "033677994240", "027434742980", "797873946194", "985666609251", "156460612806",
        "054676820928", "652711504416", "009996457667", "897822967062", "114774131450", "783225319266",
        "582318560864", "600734575887", "383597477331", "718504428378", "507241528517", "098369216593",
        "754344448648", "635631232127", "076674570225", "048591011584", "190560391635", "638102146993",
        "037604701340",
    }
)  # fmt: skip
_LOG_WIRING = (
    (("aws_lb", "aws_alb"), "access_logs.bucket", "ALB access logs"),
    (("aws_elb",), "access_logs.bucket", "classic ELB access logs"),
    (("aws_s3_bucket_logging",), "target_bucket", "S3 server access logs"),
    (("aws_s3_bucket",), "logging.target_bucket", "S3 server access logs"),
    (("aws_cloudfront_distribution",), "logging_config.bucket", "CloudFront standard logs"),
)


def log_delivery_service(bucket: Resource, model: Model) -> str | None:
    """The SSE-S3-only service that delivers logs into this bucket ('' for a data bucket, None when
    that cannot be told before apply): the bucket is wired as its log target, or its bucket policy grants
    that service's delivery principal."""
    name = bucket.values.get("bucket")
    names = (name, f"{name}.s3.amazonaws.com")  # CloudFront names a bucket by its domain
    undetermined = False
    for types, attribute, service in _LOG_WIRING:
        wired, maybe = linked(bucket, model, types, attribute, names)
        if any(_application_or_classic(other) for other in wired):
            return service
        undetermined = undetermined or maybe
    policies, maybe = linked(bucket, model, ("aws_s3_bucket_policy",), "bucket", (name,))
    undetermined = undetermined or maybe
    for policy in policies:
        opaque: list[Unknown] = []
        service = _log_principal(policy.values.get("policy"), model, opaque)
        if service:
            return service
        undetermined = undetermined or bool(opaque)
    return None if undetermined else ""


def _application_or_classic(resource: Resource) -> bool:
    """Network load balancers write access logs to KMS-encrypted buckets: only ALBs are exempt."""
    if resource.type not in ("aws_lb", "aws_alb"):
        return True
    return resource.values.get("load_balancer_type") in (None, "application")


def _log_principal(policy: Any, model: Model, opaque: list[Unknown]) -> str:
    """The log-delivery service a policy grants; unknown parts it could not read go to `opaque`."""
    for text in _policy_strings(policy, model, opaque):
        for principal, service in LOG_DELIVERY_PRINCIPALS.items():
            if principal in text:
                return service
        if text in ELB_LOG_ACCOUNTS or any(f"::{account}:" in text for account in ELB_LOG_ACCOUNTS):
            return "ELB access logs"
    return ""


def _policy_strings(value: Any, model: Model, opaque: list[Unknown]) -> Iterator[str]:
    """Every string of a policy given as JSON text, as a decoded structure, or as a reference to a
    policy document (or ELB service account) data source."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Unknown):
        readable = False
        for ref in value.refs:
            for found in model.resolve(ref):
                if found.type == "aws_elb_service_account":
                    readable = True
                    yield from ELB_LOG_ACCOUNTS
                elif found.type == "aws_iam_policy_document":
                    readable = True
                    yield from _policy_strings(found.values, model, opaque)
        if not readable:
            opaque.append(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _policy_strings(item, model, opaque)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _policy_strings(item, model, opaque)


# --- ECS ---------------------------------------------------------------------------------------------


def efs_volumes(resource: Resource) -> Iterator[tuple[str, Mapping[str, Any] | Unknown]]:
    """(label, efs_volume_configuration) of every EFS volume of a task definition, labelled for
    messages ("volume 'data'"); an unknown volume list or configuration comes back as Unknown."""
    volumes = blocks(resource.values, "volume")
    if isinstance(volumes, Unknown):
        yield "volume", volumes
        return
    for volume in volumes:
        configs = blocks(volume, "efs_volume_configuration")
        label = f"volume {describe(volume.get('name'))}"
        yield from ((label, config) for config in ([configs] if isinstance(configs, Unknown) else configs))


# --- EBS and database storage ----------------------------------------------------------------------------


def ebs_default(resource: Resource, model: Model) -> Result | None:
    """An aws_ebs_encryption_by_default in the resource's region encrypts every new volume there,
    whatever the volume says: PASS when one is enabled, UNKNOWN when that cannot be told, else None."""
    for default in model.of_type("aws_ebs_encryption_by_default"):
        same_region = default.region == resource.region
        enabled = truth(default.values.get("enabled", True))
        if isinstance(default.region, Unknown) or isinstance(resource.region, Unknown):
            if enabled is not Status.FAIL:
                return Result(Status.UNKNOWN, f"{default.address} may apply, but the region is unknown")
        elif same_region and enabled is Status.PASS:
            return Result(Status.PASS, f"encrypted by the account default {default.address}")
        elif same_region and enabled is Status.UNKNOWN:
            return Result(Status.UNKNOWN, f"{default.address} enabled is not known before apply")
    return None


# Where a database copies its storage from (replica, snapshot or point-in-time restore): unless it says
# otherwise, a copy keeps its source's encryption and key.
COPY_SOURCES = {
    "aws_db_instance": (
        "replicate_source_db",
        "snapshot_identifier",
        "restore_to_point_in_time.source_db_instance_identifier",
    ),
    "aws_rds_cluster": (
        "snapshot_identifier",
        "replication_source_identifier",
        "restore_to_point_in_time.source_cluster_identifier",
    ),
    "aws_neptune_cluster": ("snapshot_identifier", "replication_source_identifier"),
    "aws_docdb_cluster": ("snapshot_identifier", "restore_to_point_in_time.source_cluster_identifier"),
}
# The attribute by which a source database of each type is named.
_IDENTIFIER = {"aws_db_instance": "identifier"}


def copy_source(resource: Resource, model: Model) -> tuple[str, Resource | None] | None:
    """What a database copies: (description, the scanned source database or None), or None for a new,
    empty database."""
    for attribute in COPY_SOURCES.get(resource.type, ()):
        value = get(resource.values, attribute)
        if is_set(value) is Status.FAIL:
            continue
        key = _IDENTIFIER.get(resource.type, "cluster_identifier")
        for found in model.of_type(resource.type):
            if found is not resource and attachments.names(value, found, model, (key,)):
                return f"{attribute} {found.address}", found
        return f"{attribute} {describe(value)}", None
    return None


def storage_encrypted(resource: Resource, model: Model) -> Result:
    """storage_encrypted of a database; a copy whose flag is not true takes its source's encryption,
    so the source decides: judged here when scanned, UNKNOWN otherwise."""
    value = resource.values.get("storage_encrypted")
    status = truth(value)
    if status is Status.PASS:
        return Result(status, "storage_encrypted is true")
    if status is Status.UNKNOWN:
        return Result(status, "storage_encrypted is not known before apply")
    copied = copy_source(resource, model)
    if copied is None:
        return Result(Status.FAIL, f"storage_encrypted is {describe(value)}")
    where, source = copied
    if source is None:
        return Result(
            Status.UNKNOWN,
            f"storage_encrypted is {describe(value)} but the storage is a copy of {where}, "
            "whose encryption this scan cannot read",
        )
    inner = storage_encrypted(source, model)
    return Result(inner.status, f"a copy of {where}: {inner.message}")


def ebs_encryption(encrypted: Any, where: str, inherited: str, resource: Resource, model: Model) -> Result:
    """`encrypted` of one EBS volume or device (`where` prefixes the message). `inherited` names the
    snapshot or AMI whose encryption an unencrypted flag defers to ('' for a new, empty volume)."""
    status = truth(encrypted)
    if status is Status.PASS:
        return Result(status, f"{where}encrypted is true")
    default = ebs_default(resource, model)
    if default is not None and default.status is Status.PASS:
        return Result(default.status, f"{where}{default.message}")
    if status is Status.UNKNOWN:
        return Result(status, f"{where}encrypted is not known before apply")
    if default is not None:
        return Result(default.status, f"{where}{default.message}")
    if inherited:
        return Result(
            Status.UNKNOWN,
            f"{where}encrypted is {describe(encrypted)}: the volume takes the "
            f"encryption of {inherited}, which the scan cannot read",
        )
    return Result(Status.FAIL, f"{where}encrypted is {describe(encrypted)} and no account default applies")
