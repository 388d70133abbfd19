"""The specs whose directives the supergraph keeps: tag, inaccessible, access control, cost.

A subgraph gets them through its federation ``@link`` (``import: ["@requiresScopes"]``) or by
linking the spec itself (``@link(url: "https://specs.apollo.dev/cost/v0.1")``). The supergraph
links each spec some subgraph applies a directive of, defines its directives and types, and
merges a directive's differing applications with per-argument strategies, as Apollo does.
Definitions are Apollo's text byte for byte: routers recognise the specs by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from router.composition.links import Feature

SPECS = "https://specs.apollo.dev"
LOCATIONS = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
SECURED = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
ACCESS_CONTROL = ("authenticated", "requiresScopes", "policy")


@dataclass(frozen=True)
class FeatureSpec:
    """One spec: its directives (in the order federation registers them) and types."""

    name: str
    version: str
    # directive -> its definition in the supergraph
    directives: dict[str, str]
    purpose: str | None = None
    types: dict[str, str] = field(default_factory=dict)
    # directive -> argument defaults, as its definition gives them
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    # linking the spec itself needs at least this federation version
    min_federation: tuple[int, int] = (2, 0)
    # directives the supergraph defines but never carries (``@fromContext``: the arguments
    # it marks leave the supergraph)
    uncarried: tuple[str, ...] = ()

    @property
    def identity(self) -> str:
        return f"{SPECS}/{self.name}"

    @property
    def url(self) -> str:
        return f"{self.identity}/{self.version}"


FEATURE_SPECS = (
    FeatureSpec(
        "tag", "v0.3", {"tag": f"directive @tag(name: String!) repeatable on {LOCATIONS} | SCHEMA"}
    ),
    FeatureSpec(
        "inaccessible",
        "v0.2",
        {"inaccessible": f"directive @inaccessible on {LOCATIONS}"},
        purpose="SECURITY",
    ),
    FeatureSpec(
        "authenticated",
        "v0.1",
        {"authenticated": f"directive @authenticated on {SECURED}"},
        purpose="SECURITY",
        min_federation=(2, 5),
    ),
    FeatureSpec(
        "requiresScopes",
        "v0.1",
        {
            "requiresScopes": "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) "
            f"on {SECURED}"
        },
        purpose="SECURITY",
        types={"requiresScopes__Scope": "scalar requiresScopes__Scope"},
        min_federation=(2, 5),
    ),
    FeatureSpec(
        "policy",
        "v0.1",
        {"policy": f"directive @policy(policies: [[policy__Policy!]!]!) on {SECURED}"},
        purpose="SECURITY",
        types={"policy__Policy": "scalar policy__Policy"},
        min_federation=(2, 6),
    ),
    FeatureSpec(
        "context",
        "v0.1",
        {
            "context": "directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION",
            "fromContext": "directive @fromContext(field: context__ContextFieldValue) on "
            "ARGUMENT_DEFINITION",
        },
        purpose="SECURITY",
        types={"context__ContextFieldValue": "scalar context__ContextFieldValue"},
        min_federation=(2, 8),
        uncarried=("fromContext",),
    ),
    FeatureSpec(
        "cost",
        "v0.1",
        {
            "cost": "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | "
            "FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
            "listSize": "directive @listSize(assumedSize: Int, slicingArguments: [String!], "
            "sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on "
            "FIELD_DEFINITION",
        },
        defaults={"listSize": {"requireOneSlicingArgument": True}},
        min_federation=(2, 9),
    ),
)
BY_DIRECTIVE = {name: spec for spec in FEATURE_SPECS for name in spec.directives}
BY_IDENTITY = {spec.identity: spec for spec in FEATURE_SPECS}
# The directives whose applications the supergraph keeps, in the order federation registers
# them; Apollo lists the specs' @links by it.
DIRECTIVE_ORDER = tuple(
    name for spec in FEATURE_SPECS for name in spec.directives if name not in spec.uncarried
)
# Applications repeat on one element: each distinct one is kept.
REPEATABLE = ("tag", "context")


def spec_of(directive: str) -> FeatureSpec | None:
    return BY_DIRECTIVE.get(directive)


def linked_directives(features: list[Feature]) -> dict[str, str]:
    """Local name -> directive name for the specs above that a subgraph links by themselves."""
    names: dict[str, str] = {}
    for feature in features:
        spec = BY_IDENTITY.get(feature.identity)
        for directive in spec.directives if spec is not None else ():
            names[feature.directive_name(directive)] = directive
    return names


def implied_federation(features: list[Feature]) -> tuple[int, int]:
    """The federation version a subgraph's spec links imply (cost needs 2.9 ...)."""
    versions = [
        BY_IDENTITY[feature.identity].min_federation
        for feature in features
        if feature.identity in BY_IDENTITY
    ]
    return max(versions, default=(2, 0))
