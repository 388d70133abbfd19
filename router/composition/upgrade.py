"""Federation 1 subgraphs rewritten as the Federation 2 subgraphs they mean, as Apollo does.

A Federation 1 subgraph (no ``@link`` to the federation spec) shares value types and entity
fields without ``@shareable``, declares entities owned elsewhere as ``extend type`` with their
key fields ``@external``, and may leave ``@external`` fields nothing uses. Apollo's composition
upgrades such subgraphs before composing them with the others: the steps below follow its
order, each looking at the subgraphs as they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import DirectiveNode, NameNode, StringValueNode

from router.composition.arguments import argument
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.fieldset import resolve_field_set
from router.composition.query_graph import parse_field_tree, print_field_tree
from router.composition.schema import Field, TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type

ROOTS = ("Query", "Mutation", "Subscription")
SHAREABLE = DirectiveNode(name=NameNode(value="shareable"), arguments=())


@dataclass
class _Written:
    """What the upgrade needs to know of the other subgraphs as they were written."""

    # type name -> subgraph name -> fields some other subgraph may share
    resolved: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # type name -> subgraphs with a definition (not only ``extend type``) of it
    defined: dict[str, set[str]] = field(default_factory=dict)
    # type name -> subgraph name -> the top-level fields of its first @key there
    first_key: dict[str, dict[str, set[str]]] = field(default_factory=dict)


def upgrade_subgraphs(subgraphs: list[Subgraph]) -> list[CompositionError]:
    """Upgrade the Federation 1 ``subgraphs`` in place; the errors found doing it."""
    if not any(subgraph.federation_1 for subgraph in subgraphs):
        return []
    written = _survey(subgraphs)
    errors: list[CompositionError] = []
    for subgraph in subgraphs:
        if subgraph.federation_1:
            errors += _upgrade(subgraph, written)
    return errors


def _survey(subgraphs: list[Subgraph]) -> _Written:
    written = _Written()
    for subgraph in subgraphs:
        provided = _provided(subgraph)
        for parent in _composites(subgraph):
            written.resolved.setdefault(parent.name, {})[subgraph.name] = {
                f.name
                for f in parent.fields.values()
                if not subgraph.is_external(parent, f) or (parent.name, f.name) in provided
            }
            if not parent.is_extension:
                written.defined.setdefault(parent.name, set()).add(subgraph.name)
            keys = subgraph.field_sets(parent, "key")
            if keys:
                written.first_key.setdefault(parent.name, {})[subgraph.name] = _top_level(
                    subgraph, parent, keys[0][1]
                )
    return written


def _composites(subgraph: Subgraph) -> list[TypeDef]:
    return [t for t in subgraph.types.values() if t.kind in ("object", "interface")]


def _top_level(subgraph: Subgraph, parent: TypeDef, fields: str) -> set[str]:
    selected = resolve_field_set(subgraph.types, parent, fields).selected
    return {s.field.name for s in selected if s.top and s.parent is parent}


def _provided(subgraph: Subgraph) -> set[tuple[str, str]]:
    provided: set[tuple[str, str]] = set()
    for parent in _composites(subgraph):
        for owned in parent.fields.values():
            target = subgraph.types.get(named_type(owned.type))
            for _, fields in _field_sets(subgraph, owned, "provides"):
                if target is not None:
                    selected = resolve_field_set(subgraph.types, target, fields).selected
                    provided.update((s.parent.name, s.field.name) for s in selected)
    return provided


def _field_sets(subgraph: Subgraph, owned: Field, name: str) -> list[tuple[DirectiveNode, str]]:
    return [
        (node, str(argument(node, "fields"))) for node in subgraph.applied(owned.directives, name)
    ]


def _upgrade(subgraph: Subgraph, written: _Written) -> list[CompositionError]:
    errors = list(_extensions_without_base(subgraph, written))
    if errors:
        return errors
    for parent in _composites(subgraph):
        if parent.kind == "interface":
            for owned in parent.fields.values():
                _drop(subgraph, owned.directives, "external", "provides", "requires")
            _drop(subgraph, parent.directives, "key")
        else:
            _drop(subgraph, parent.directives, "external")
        if _is_extension(subgraph, parent):
            _key_fields_not_external(subgraph, parent, written)
    for parent in _composites(subgraph):
        for owned in parent.fields.values():
            _drop_inactive(subgraph, parent, owned)
        if _is_extension(subgraph, parent):
            parent.is_extension = False
    # Derived from the @key applications just changed.
    subgraph.__dict__.pop("key_fields", None)
    errors = _remove_unused_externals(subgraph)
    _add_shareable(subgraph, written)
    return errors


def _is_extension(subgraph: Subgraph, parent: TypeDef) -> bool:
    return parent.is_extension or subgraph.has(parent.directives, "extends")


def _extensions_without_base(subgraph: Subgraph, written: _Written) -> list[CompositionError]:
    return [
        CompositionError(
            Code.EXTENSION_WITH_NO_BASE,
            f'[{subgraph.name}] Type "{parent.name}" is an extension type, but there is no type '
            f'definition for "{parent.name}" in any subgraph. Define it (without "extend") in '
            "the subgraph that owns it.",
            subgraph.name,
            parent.name,
        )
        for parent in _composites(subgraph)
        if parent.name not in ROOTS
        and _is_extension(subgraph, parent)
        and not written.defined.get(parent.name, set()) - {subgraph.name}
    ]


def _drop(subgraph: Subgraph, directives: list[DirectiveNode], *names: str) -> None:
    directives[:] = [
        d for d in directives if subgraph.federation_names.get(d.name.value) not in names
    ]


def _key_fields_not_external(subgraph: Subgraph, parent: TypeDef, written: _Written) -> None:
    """Key fields of an ``extend type`` are resolved here; Federation 1 marked them @external.

    Without a @key of its own, the keys the other subgraphs give the type count.
    """
    keys = subgraph.field_sets(parent, "key")
    if keys:
        names = set().union(*(_top_level(subgraph, parent, fields) for _, fields in keys))
    else:
        others = written.first_key.get(parent.name, {})
        names = set().union(*(fields for name, fields in others.items() if name != subgraph.name))
    for name in names & set(parent.fields):
        _drop(subgraph, parent.fields[name].directives, "external")


def _drop_inactive(subgraph: Subgraph, parent: TypeDef, owned: Field) -> None:
    """Fields a @requires or @provides selects that are not @external meant nothing: gone,
    and the directive with them when none is left (as @provides of a leaf field)."""
    target = subgraph.types.get(named_type(owned.type))
    for directive, on in (("provides", target), ("requires", parent)):
        for node, fields in _field_sets(subgraph, owned, directive):
            if on is None or on.kind not in ("object", "interface", "union"):
                owned.directives.remove(node)
                continue
            selected = parse_field_tree(fields)
            kept = tuple(
                (name, sub)
                for name, sub in selected
                if sub or name.startswith("...") or _external_here(subgraph, on, name)
            )
            if kept != selected:
                owned.directives.remove(node)
                owned.directives += [_with_fields(node, print_field_tree(kept))] if kept else []


def _external_here(subgraph: Subgraph, parent: TypeDef, name: str) -> bool:
    found = parent.fields.get(name)
    return found is not None and subgraph.has(found.directives, "external")


def _with_fields(node: DirectiveNode, fields: str) -> DirectiveNode:
    args = tuple(
        arg.__class__(name=arg.name, value=StringValueNode(value=fields))
        if arg.name.value == "fields"
        else arg
        for arg in node.arguments or ()
    )
    return DirectiveNode(name=node.name, arguments=args)


def _remove_unused_externals(subgraph: Subgraph) -> list[CompositionError]:
    used = _used(subgraph)
    errors = []
    for parent in _composites(subgraph):
        for name, owned in list(parent.fields.items()):
            if subgraph.is_external(parent, owned) and (parent.name, name) not in used:
                del parent.fields[name]
        # Query always keeps _entities and _service, which the model leaves out.
        if parent.fields or parent.name in ROOTS:
            continue
        if _referenced(subgraph, parent.name):
            errors.append(_only_unused_externals(subgraph, parent))
        else:
            del subgraph.types[parent.name]
    return errors


def _used(subgraph: Subgraph) -> set[tuple[str, str]]:
    used = set(subgraph.key_fields) | _provided(subgraph)
    for parent in _composites(subgraph):
        for owned in parent.fields.values():
            for _, fields in _field_sets(subgraph, owned, "requires"):
                selected = resolve_field_set(subgraph.types, parent, fields).selected
                used.update((s.parent.name, s.field.name) for s in selected)
        for interface in parent.interfaces:
            found = subgraph.types.get(interface)
            if found is not None:
                used.update((parent.name, name) for name in found.fields)
    return used


def _referenced(subgraph: Subgraph, name: str) -> bool:
    return any(
        name in t.members
        or name in t.interfaces
        or any(
            named_type(f.type) == name or any(named_type(a.type) == name for a in f.args.values())
            for f in t.fields.values()
        )
        for t in subgraph.types.values()
    )


def _only_unused_externals(subgraph: Subgraph, parent: TypeDef) -> CompositionError:
    return CompositionError(
        Code.TYPE_WITH_ONLY_UNUSED_EXTERNAL,
        f"[{subgraph.name}] Type {parent.name} contains only external fields and all those "
        "fields are all unused (they do not appear in any @key, @provides or @requires). "
        "Remove the type, or give it a field this subgraph resolves.",
        subgraph.name,
        parent.name,
    )


def _add_shareable(subgraph: Subgraph, written: _Written) -> None:
    """What Federation 1 shared implicitly becomes @shareable: entity (and root) fields other
    subgraphs resolve too, and value types other subgraphs define too."""
    subgraph.federation_names.setdefault("shareable", "shareable")
    for parent in subgraph.types.values():
        if parent.kind != "object" or parent.name == "Subscription":
            continue
        others = {
            name: fields
            for name, fields in written.resolved.get(parent.name, {}).items()
            if name != subgraph.name
        }
        if subgraph.has(parent.directives, "key") or parent.name in ROOTS:
            for name, owned in parent.fields.items():
                shared = any(name in fields for fields in others.values())
                if shared and (parent.name, name) not in subgraph.key_fields:
                    owned.directives.append(SHAREABLE)
        elif others:
            parent.directives.append(SHAREABLE)
            for owned in parent.fields.values():
                owned.type_shareable = True
