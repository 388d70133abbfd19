"""Which feature specs (tag, access control, cost ...) the supergraph links, and their text.

Apollo links a spec when some subgraph applies one of its directives, lists the links in the
order the subgraphs (by name) first apply them, and imports a directive not named after its
spec (``@listSize``) once per way the subgraphs got it: through their federation ``@link``
or by linking the spec itself. The second import is redundant, but it is what Apollo writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import DirectiveNode

from router.composition.feature_specs import (
    BY_DIRECTIVE,
    BY_IDENTITY,
    DIRECTIVE_ORDER,
    SPECS,
    FeatureSpec,
    spec_of,
)
from router.composition.subgraph import Subgraph

FEDERATION = "https://specs.apollo.dev/federation"


@dataclass(frozen=True)
class UsedDirective:
    """A spec directive some subgraph applies; ``source`` is the spec it was linked from."""

    name: str
    source: str


def used_directives(subgraphs: list[Subgraph]) -> list[UsedDirective]:
    used: dict[UsedDirective, None] = {}
    for subgraph in subgraphs:
        applied = {
            subgraph.federation_names.get(node.name.value) for node in _applications(subgraph)
        }
        for name in DIRECTIVE_ORDER:
            if name in applied:
                used.setdefault(UsedDirective(name, _source(subgraph, name)), None)
    return list(used)


def _applications(subgraph: Subgraph) -> Iterator[DirectiveNode]:
    yield from subgraph.schema_directives
    for definition in subgraph.types.values():
        yield from definition.directives
        for field in definition.fields.values():
            yield from field.directives
            for arg in field.args.values():
                yield from arg.directives
        for value in definition.values.values():
            yield from value.directives


def _source(subgraph: Subgraph, name: str) -> str:
    spec = spec_of(name)
    assert spec is not None
    linked = any(feature.identity == spec.identity for feature in subgraph.features)
    return spec.identity if linked else FEDERATION


def _specs(used: list[UsedDirective]) -> list[FeatureSpec]:
    names = dict.fromkeys(BY_DIRECTIVE[directive.name].name for directive in used)
    return [BY_IDENTITY[f"{SPECS}/{name}"] for name in names]


def _imports(spec: FeatureSpec, used: list[UsedDirective]) -> list[str]:
    return [d.name for d in used if d.name != spec.name and d.name in spec.directives]


def feature_links(used: list[UsedDirective]) -> list[str]:
    """The ``@link`` applications for the specs ``used``, as printed on ``schema``."""
    links = []
    for spec in _specs(used):
        text = f'@link(url: "{spec.url}"'
        if spec.purpose is not None:
            text += f", for: {spec.purpose}"
        imports = _imports(spec, used)
        if imports:
            text += ", import: [" + ", ".join(f'"@{name}"' for name in imports) + "]"
        links.append(text + ")")
    return links


def feature_directive_definitions(used: list[UsedDirective]) -> list[str]:
    """Every directive of the specs ``used``; those not imported keep the spec's prefix."""
    definitions = []
    for spec in _specs(used):
        imports = _imports(spec, used)
        for name, text in spec.directives.items():
            if name != spec.name and name not in imports:
                text = text.replace(f"directive @{name}", f"directive @{spec.name}__{name}", 1)
            definitions.append(text)
    return definitions


def feature_types(used: list[UsedDirective]) -> dict[str, str]:
    return {name: text for spec in _specs(used) for name, text in spec.types.items()}
