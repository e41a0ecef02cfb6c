"""A pillar rule pack in Python: every EC2 instance names its owner.

Built into a WebAssembly component by componentize-py against
wit/v0.2/rules.wit, contract pillar:rules@0.2.0 (see build.sh). The host calls `Rules.metadata` once, then
`Rules.evaluate` with a JSON batch of resources; findings go back through
`host.emit`, one per failing (or undecidable) resource.
"""

import json

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import host
from wit_world.imports.types import (
    ComplianceRef,
    EvalError_BadInput,
    EvalError_UnsupportedKind,
    Finding,
    PackInfo,
    Pillar,
    RuleInfo,
    Severity,
    Verdict,
)

RULE_ID = "PYEX-EC2-001"
KIND = "aws_instance"
TAG = "owner"


def is_unknown(resource, pointer):
    """True when `pointer` or one of its ancestors is listed as unknown."""
    for u in resource.get("unknown") or []:
        if u == "" or pointer == u or pointer.startswith(u + "/"):
            return True
    return False


def owner_tag(resource):
    """The owner tag's value, preferring Terraform's `tags_all`."""
    attributes = resource.get("attributes") or {}
    for field in ("tags_all", "tags"):
        tags = attributes.get(field)
        if isinstance(tags, dict) and isinstance(tags.get(TAG), str):
            return tags[TAG]
    return None


def name_of(resource):
    attributes = resource.get("attributes") or {}
    tags = attributes.get("tags") or {}
    return tags.get("Name") or resource.get("id", "?")


class Rules(exports.Rules):
    def metadata(self) -> PackInfo:
        return PackInfo(
            name="example-python-owner-tag",
            version="0.1.0",
            rules=[
                RuleInfo(
                    id=RULE_ID,
                    title="EC2 instances carry an owner tag",
                    severity=Severity.LOW,
                    pillar=Pillar.OPERATIONAL_EXCELLENCE,
                    best_practice="OPS01-BP03",
                    resource_kinds=[KIND],
                    help="Tag every instance with `owner` so incidents and costs reach a team.",
                    help_uri="https://github.com/pillar-scan/pillar/tree/main/plugins/examples/python-owner-tag",
                    # Typed parameters (contract 0.2): this rule takes none.
                    parameters=[],
                    compliance=[
                        ComplianceRef(framework="aws-well-architected", control="OPS01-BP03")
                    ],
                )
            ],
        )

    def configure(self, settings: str) -> None:
        return None

    def evaluate(self, kind: str, batch: str) -> None:
        if kind != KIND:
            raise Err(EvalError_UnsupportedKind(kind))
        try:
            resources = json.loads(batch)
        except ValueError as e:
            raise Err(EvalError_BadInput(f"batch: {e}"))
        for index, resource in enumerate(resources):
            if owner_tag(resource):
                continue
            if is_unknown(resource, "/tags") or is_unknown(resource, "/tags_all"):
                verdict, message = Verdict.UNKNOWN, f"{name_of(resource)}: tags are not known until apply"
            else:
                verdict, message = Verdict.FAIL, f"{name_of(resource)} has no `{TAG}` tag"
            host.emit(
                Finding(
                    rule_id=RULE_ID,
                    resource_index=index,
                    verdict=verdict,
                    message=message,
                    evidence="/tags",
                    severity=None,
                )
            )
