"""``@composeDirective``: the custom directives a supergraph keeps, chosen as Apollo does.

A subgraph asks for one with ``@composeDirective(name: "@custom")``; the directive must come
from a spec it links (``@link(url: "https://myspecs.dev/custom/v1.0", import: ["@custom"])``),
not from federation's own. The supergraph then links that spec (its newest version among the
subgraphs asking), defines the directive as a subgraph linking that version does, and keeps
its applications from the subgraphs that ask for it (and only from those).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from graphql import (
    DirectiveDefinitionNode,
    ListValueNode,
    NameNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)

from router.composition.arguments import argument
from router.composition.context import quoted
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.links import Feature, owner
from router.composition.model import Applied
from router.composition.subgraph import Subgraph

SPECS = "https://specs.apollo.dev"
# Specs whose directives cannot be composed this way.
RESERVED_SPECS = tuple(
    f"{SPECS}/{name}"
    for name in (
        "core", "join", "link", "tag", "inaccessible", "federation", "authenticated",
        "requiresScopes", "source", "context", "cost",
    )
)  # fmt: skip
# Federation directives the supergraph keeps anyway: asking for them changes nothing.
COMPOSED_ANYWAY = ("tag", "inaccessible", "authenticated", "requiresScopes", "policy", "context")


@dataclass(frozen=True)
class Request:
    """One valid ``@composeDirective``: directive ``name`` is the spec's ``name_in_spec``."""

    subgraph: Subgraph
    feature: Feature
    name_in_spec: str
    name: str


@dataclass
class CustomDirectives:
    # subgraph name -> the custom directives whose applications the supergraph keeps
    names: dict[str, frozenset[str]] = field(default_factory=dict)
    # the supergraph's definition of each: (subgraph it comes from, definition)
    definitions: dict[str, tuple[Subgraph, DirectiveDefinitionNode]] = field(default_factory=dict)
    # @link applications for the specs they come from
    links: list[Applied] = field(default_factory=list)


def compose_directives(
    subgraphs: list[Subgraph],
) -> tuple[CustomDirectives, list[CompositionError]]:
    """What to keep of the directives the subgraphs ask to compose, or why not."""
    errors: list[CompositionError] = []
    requests = [r for sg in subgraphs for r in _requests(sg, subgraphs, errors)]
    excluded = _inconsistent(requests, errors)
    latest = {
        identity: chosen
        for identity in dict.fromkeys(r.feature.identity for r in requests)
        if (chosen := _latest(subgraphs, identity, requests, errors)) is not None
    }
    kept = [r for r in requests if r.feature.identity in latest and r.name not in excluded]
    custom = CustomDirectives()
    for subgraph in subgraphs:
        custom.names[subgraph.name] = frozenset(r.name for r in kept if r.subgraph is subgraph)
    for request in kept:
        if request.name not in custom.definitions:
            found = _definition(request, *latest[request.feature.identity], errors)
            if found is not None:
                custom.definitions[request.name] = found
    custom.links = _links(subgraphs, kept, latest)
    return custom, errors


def _error(message: str, subgraph: str | None = None) -> CompositionError:
    return CompositionError(Code.DIRECTIVE_COMPOSITION_ERROR, message, subgraph)


def _requests(
    subgraph: Subgraph, subgraphs: list[Subgraph], errors: list[CompositionError]
) -> Iterator[Request]:
    where = f'in subgraph "{subgraph.name}"'
    for node in subgraph.applied(subgraph.schema_directives, "composeDirective"):
        requested = argument(node, "name")
        if not requested:
            errors.append(
                _error(
                    f"Argument to @composeDirective {where} cannot be NULL or an empty String",
                    subgraph.name,
                )
            )
            continue
        if not requested.startswith("@"):
            errors.append(
                _error(
                    f'Argument to @composeDirective "{requested}" {where} must have a leading "@"',
                    subgraph.name,
                )
            )
            continue
        name = requested[1:]
        found = owner(subgraph.features, name, directive=True)
        problem = None
        if not _defined(subgraph, name):
            problem = (
                f"Could not find matching directive definition for argument to @composeDirective "
                f'"@{name}" {where}. Define the directive in the subgraph.'
            )
        elif found is None:
            problem = (
                f'Directive "@{name}" {where} cannot be composed because it is not a member of a '
                "core feature. Link its spec: "
                '@link(url: "https://<your specs>/<name>/v1.0", import: ["@' + name + '"]).'
            )
        elif found.name_in_spec is None:
            problem = (
                f'Directive "@{name}" {where} cannot be composed because it is imported to a '
                "different name"
            )
        elif found.feature.identity in RESERVED_SPECS:
            if subgraph.federation_names.get(name) not in COMPOSED_ANYWAY:
                problem = f'Composing federation directive "@{name}" {where} is not supported'
        elif conflict := _conflict(subgraphs, name):
            problem = (
                f'Directive "@{name}" {where} cannot be composed because it conflicts with '
                f'automatically composed federation directive "@{conflict}"'
            )
        else:
            yield Request(subgraph, found.feature, found.name_in_spec, name)
        if problem is not None:
            errors.append(_error(problem, subgraph.name))


def _defined(subgraph: Subgraph, name: str) -> bool:
    """Defined in the SDL, or known anyway: federation's and link's own directives."""
    return (
        name in subgraph.directive_definitions
        or name in subgraph.federation_names
        or name == "link"
    )


def _conflict(subgraphs: list[Subgraph], name: str) -> str | None:
    """``tag`` or ``inaccessible`` when a subgraph calls that federation directive ``name``."""
    for subgraph in subgraphs:
        federation = subgraph.federation_names.get(name)
        if federation in ("tag", "inaccessible"):
            return federation
    return None


def _inconsistent(requests: list[Request], errors: list[CompositionError]) -> set[str]:
    """Names composed inconsistently across subgraphs (reported); the supergraph drops them."""
    excluded: set[str] = set()
    by_name = _group(requests, lambda r: r.name)
    for name, group in by_name.items():
        if len({r.name_in_spec for r in group}) > 1:
            excluded.add(name)
            errors.append(
                _error(
                    f'Composed directive "@{name}" does not refer to the same directive in every '
                    "subgraph"
                )
            )
        if len({r.feature.identity for r in group}) > 1:
            excluded.add(name)
            errors.append(
                _error(
                    f'Composed directive "@{name}" is not linked by the same core feature in '
                    "every subgraph"
                )
            )
    for name_in_spec, group in _group(requests, lambda r: r.name_in_spec).items():
        names = list(dict.fromkeys(r.name for r in group))
        if len(names) > 1:
            excluded.update(names)
            named = ", ".join(f'"@{r.name}" in subgraph "{r.subgraph.name}"' for r in group)
            errors.append(
                _error(
                    f'Composed directive "@{name_in_spec}" is not named consistently in all '
                    f"subgraphs: {named}. Import it under one name everywhere."
                )
            )
    return excluded


def _group(requests: list[Request], key: Callable[[Request], str]) -> dict[str, list[Request]]:
    groups: dict[str, list[Request]] = {}
    for request in requests:
        groups.setdefault(key(request), []).append(request)
    return groups


def _latest(
    subgraphs: list[Subgraph],
    identity: str,
    requests: list[Request],
    errors: list[CompositionError],
) -> tuple[Feature, list[Subgraph]] | None:
    """The spec version the supergraph links, and the subgraphs linking that version (last
    first): a composing subgraph's version over the others', then the newest minor version."""
    asking = {r.subgraph.name for r in requests if r.feature.identity == identity}
    linked = [(sg, f) for sg in subgraphs for f in sg.features if f.identity == identity]
    best: tuple[Feature, bool] | None = None
    for subgraph, feature in linked:
        composing = subgraph.name in asking
        if best is None:
            best = (feature, composing)
        elif best[0].version[0] != feature.version[0]:
            if best[1] and composing:
                errors.append(_major_mismatch(identity, linked, subgraph.name))
                return None
            best = best if best[1] else (feature, composing)
        elif best[1] != composing:
            best = best if best[1] else (feature, composing)
        elif feature.version[1] >= best[0].version[1]:
            best = (feature, composing)
    if best is None or not best[1]:
        return None
    same = [sg for sg, f in linked if f.version == best[0].version]
    return best[0], same[::-1]


def _major_mismatch(
    identity: str, linked: list[tuple[Subgraph, Feature]], subgraph: str
) -> CompositionError:
    versions = ", ".join(f'v{f.version[0]}.{f.version[1]} in "{sg.name}"' for sg, f in linked)
    return _error(
        f'Core feature "{identity}" requested to be merged has major version mismatch across '
        f"subgraphs ({versions}). Link one major version in every subgraph composing its "
        "directives.",
        subgraph,
    )


def _definition(
    request: Request,
    feature: Feature,
    subgraphs: list[Subgraph],
    errors: list[CompositionError],
) -> tuple[Subgraph, DirectiveDefinitionNode] | None:
    for subgraph in subgraphs:
        linked = next(f for f in subgraph.features if f.identity == feature.identity)
        node = subgraph.directive_definitions.get(linked.directive_name(request.name_in_spec))
        if node is not None:
            return subgraph, node
    names = quoted([sg.name for sg in subgraphs])
    plural = len(subgraphs) != 1
    errors.append(
        _error(
            f'Core feature "{feature.url}" in subgraph{"s" if plural else ""} {names} '
            f"{'do' if plural else 'does'} not have a directive definition for "
            f'"@{request.name}"'
        )
    )
    return None


def _links(
    subgraphs: list[Subgraph],
    kept: list[Request],
    latest: dict[str, tuple[Feature, list[Subgraph]]],
) -> list[Applied]:
    """``@link``s for the specs of the kept directives, in the order subgraphs link them."""
    order = dict.fromkeys(f.identity for sg in subgraphs for f in sg.features)
    links: list[Applied] = []
    for identity in order:
        imports = {r.name: r.name_in_spec for r in kept if r.feature.identity == identity}
        if identity not in latest or identity in RESERVED_SPECS or not imports:
            continue
        values = tuple(_import(name, name_in_spec) for name, name_in_spec in imports.items())
        url = StringValueNode(value=latest[identity][0].url)
        links.append(Applied("link", (("url", url), ("import", ListValueNode(values=values)))))
    return links


def _import(name: str, name_in_spec: str) -> ValueNode:
    if name == name_in_spec:
        return StringValueNode(value=f"@{name}")
    fields = [("name", f"@{name_in_spec}"), ("as", f"@{name}")]
    return ObjectValueNode(
        fields=tuple(
            ObjectFieldNode(name=NameNode(value=key), value=StringValueNode(value=value))
            for key, value in fields
        )
    )
