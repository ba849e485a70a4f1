"""IAM policy documents read the same from every form: JSON string, decoded structure with Unknown
leaves, and data "aws_iam_policy_document" blocks with source and override documents."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from compliance.analysis.policy import (
    action_covers,
    action_matches,
    grants,
    identity_policies,
    is_service_wide,
    read_policy,
    resource_policy,
)
from compliance.analysis.references import refers_to
from compliance.model import Model, Origin, Resource, Source, Unknown

EMPTY = Model(())


def resource(address: str, values: Mapping[str, Any]) -> Resource:
    mode = "data" if address.startswith("data.") else "managed"
    kind = address.split(".")[-2]
    return Resource(
        address=address,
        mode=mode,
        type=kind,
        name=address.split(".")[-1],
        module="",
        provider="provider.aws",
        region="ca-central-1",
        values=values,
        source=Source("main.tf", 1),
        origin=Origin.HCL,
    )


STATEMENT = {
    "Sid": "Read",
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": ["arn:aws:s3:::b/*"],
    "Principal": {"AWS": ["arn:aws:iam::111122223333:root"], "Service": "ecs-tasks.amazonaws.com"},
    "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}},
}


def test_json_string_and_decoded_dict_read_the_same() -> None:
    text = read_policy(json.dumps({"Statement": [STATEMENT]}), EMPTY)
    decoded = read_policy({"Statement": STATEMENT}, EMPTY)  # a lone statement object
    assert text == decoded
    assert text is not None and text.complete
    (statement,) = text.statements
    assert statement.sid == "Read" and statement.allows
    assert statement.actions == ("s3:GetObject",)
    assert {(p.kind, p.id) for p in statement.principals} == {
        ("AWS", "arn:aws:iam::111122223333:root"),
        ("Service", "ecs-tasks.amazonaws.com"),
    }
    assert statement.conditions[0].key == "aws:SourceAccount"


def test_star_principal_and_unknown_leaves() -> None:
    leaf = Unknown(("aws_kms_key.k",))
    document = read_policy({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": leaf}]}, EMPTY)
    assert document is not None
    (statement,) = document.statements
    assert [(p.kind, p.id) for p in statement.principals] == [("*", "*")]
    assert statement.actions == (leaf,)
    assert statement.unknown_parts == ("Action",)


@pytest.mark.parametrize("value", [None, ""])
def test_unset_policy_is_none(value: Any) -> None:
    assert read_policy(value, EMPTY) is None


def test_invalid_json_and_bare_unknown_are_incomplete() -> None:
    broken = read_policy("{not json", EMPTY)
    assert broken is not None and not broken.complete and "JSON" in broken.problem
    unknown = read_policy(Unknown(), EMPTY)
    assert unknown is not None and not unknown.complete


def test_document_reference_reads_statement_blocks_with_source_and_override() -> None:
    base = resource(
        "data.aws_iam_policy_document.base",
        {"statement": [{"sid": "Logs", "actions": ["logs:*"], "resources": ["*"]}]},
    )
    override = resource(
        "data.aws_iam_policy_document.override",
        {"statement": [{"sid": "Extra", "effect": "Deny", "actions": ["s3:*"], "resources": ["*"]}]},
    )
    narrowed = resource(
        "data.aws_iam_policy_document.narrowed",
        {
            "source_policy_documents": [Unknown(("data.aws_iam_policy_document.base",))],
            "override_policy_documents": [Unknown(("data.aws_iam_policy_document.override",))],
            "statement": [
                {
                    "sid": "Logs",
                    "actions": ["logs:PutLogEvents"],
                    "resources": [Unknown(("aws_cloudwatch_log_group.g",))],
                    "principals": [{"type": "AWS", "identifiers": ["*"]}],
                    "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}],
                }
            ],
        },
    )
    model = Model((base, override, narrowed))
    document = read_policy(Unknown(("data.aws_iam_policy_document.narrowed.json",)), model)
    assert document is not None and document.complete
    assert [(s.sid, s.actions) for s in document.statements] == [
        ("Logs", ("logs:PutLogEvents",)),
        ("Extra", ("s3:*",)),
    ]
    logs, extra = document.statements
    assert logs.effect == "Allow" and not extra.allows
    assert [(p.kind, p.id) for p in logs.principals] == [("AWS", "*")]
    assert logs.conditions[0].values == ("false",)


def test_document_rendered_json_wins_over_blocks() -> None:
    doc = resource(
        "data.aws_iam_policy_document.d",
        {"json": json.dumps({"Statement": [{"Effect": "Allow", "Action": "*"}]}), "statement": []},
    )
    document = read_policy(Unknown(("data.aws_iam_policy_document.d",)), Model((doc,)))
    assert document is not None and document.statements[0].actions == ("*",)


def test_reference_to_something_else_is_unreadable() -> None:
    document = read_policy(Unknown(("aws_s3_bucket.b",)), EMPTY)
    assert document is not None and not document.complete


def test_role_inline_policies_and_unset_or_unknown_attributes() -> None:
    policy = json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    role = resource("aws_iam_role.r", {"inline_policy": [{"name": "read", "policy": policy}]})
    ((label, document),) = identity_policies(role, EMPTY)
    assert label == "inline_policy read" and document.statements[0].actions == ("s3:GetObject",)
    assert identity_policies(resource("aws_iam_role.r", {}), EMPTY) == []
    ((_, unreadable),) = identity_policies(resource("aws_iam_role.r", {"inline_policy": Unknown()}), EMPTY)
    assert not unreadable.complete
    assert resource_policy(resource("aws_s3_bucket.b", {"policy": None}), EMPTY) is None
    unknown = resource_policy(resource("aws_s3_bucket.b", {"policy": Unknown()}), EMPTY)
    assert unknown is not None and not unknown.complete


def test_action_matching() -> None:
    assert action_matches("s3:Get*", "s3:GetObject")
    assert action_matches("S3:GETOBJECT", "s3:GetObject")
    assert not action_matches("s3:Get*", "s3:PutObject")
    assert action_covers("ec2:Describe*", "ec2:DescribeSubnets")
    assert action_covers("ec2:Describe*", "ec2:DescribeSub*")
    assert not action_covers("ec2:DescribeSubnets", "ec2:Describe*")
    assert is_service_wide("*") and is_service_wide("s3:*") and is_service_wide("DynamoDB:*")
    assert not is_service_wide("s3:Get*")


def test_grants_follows_wildcards_not_action_and_unknowns() -> None:
    document = read_policy(
        {
            "Statement": [
                {"Effect": "Allow", "Action": "iam:Pass*"},
                {"Effect": "Allow", "NotAction": "iam:*"},
                {"Effect": "Allow", "Action": Unknown()},
            ]
        },
        EMPTY,
    )
    assert document is not None
    wildcard, not_action, unknown = document.statements
    assert grants(wildcard, "iam:PassRole") is True
    assert grants(not_action, "iam:PassRole") is False
    assert grants(not_action, "s3:GetObject") is True
    assert grants(unknown, "iam:PassRole") is None


def test_refers_to_needs_every_reference_to_be_of_the_type() -> None:
    role = resource("aws_iam_role.r", {})
    key = resource("aws_kms_key.k", {})
    model = Model((role, key))
    assert refers_to(Unknown(("aws_iam_role.r.arn",)), model, "aws_iam_role")
    assert not refers_to(Unknown(("aws_iam_role.r", "aws_kms_key.k")), model, "aws_iam_role")
    assert not refers_to(Unknown(), model, "aws_iam_role")
