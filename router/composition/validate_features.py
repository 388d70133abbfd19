"""Checks on one subgraph's @cost, @listSize and access control applications, as Apollo's."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from graphql import DirectiveNode, ListTypeNode, NonNullTypeNode, TypeNode

from router.composition.arguments import argument
from router.composition.errors import CompositionError
from router.composition.errors import CompositionErrorCode as Code
from router.composition.feature_specs import ACCESS_CONTROL
from router.composition.schema import Field, TypeDef
from router.composition.subgraph import Subgraph
from router.composition.typeref import named_type, type_str

COMPOSITE = ("object", "interface", "union")
_ErrorFactory = Callable[[Code, str], CompositionError]


def validate_features(subgraph: Subgraph) -> list[CompositionError]:
    errors = list(_cost_on_interfaces(subgraph))
    errors += _list_sizes(subgraph)
    errors += _access_control_on_interfaces(subgraph)
    return errors


def _error(
    subgraph: Subgraph, code: Code, message: str, parent: str, field: str | None = None
) -> CompositionError:
    return CompositionError(code, f"[{subgraph.name}] {message}", subgraph.name, parent, field)


def _fields(subgraph: Subgraph, kinds: tuple[str, ...]) -> Iterator[tuple[TypeDef, Field]]:
    for parent in subgraph.types.values():
        if parent.kind in kinds:
            yield from ((parent, field) for field in parent.fields.values())


def _cost_on_interfaces(subgraph: Subgraph) -> Iterator[CompositionError]:
    for parent, field in _fields(subgraph, ("interface",)):
        if subgraph.has(field.directives, "cost"):
            yield _error(
                subgraph,
                Code.COST_APPLIED_TO_INTERFACE_FIELD,
                f'@cost cannot be applied to interface "{parent.name}.{field.name}": put it on '
                "the fields of the implementations.",
                parent.name,
                field.name,
            )


def _list_sizes(subgraph: Subgraph) -> Iterator[CompositionError]:
    for parent, field in _fields(subgraph, ("object", "interface")):
        for node in subgraph.applied(field.directives, "listSize"):
            yield from _list_size(subgraph, parent, field, node)


def _list_size(
    subgraph: Subgraph, parent: TypeDef, field: Field, node: DirectiveNode
) -> Iterator[CompositionError]:
    where = f"{parent.name}.{field.name}"
    sized = argument(node, "sizedFields") or []

    def error(code: Code, message: str) -> CompositionError:
        return _error(subgraph, code, message, parent.name, field.name)

    if not sized and not _is_list(field.type):
        yield error(Code.LIST_SIZE_APPLIED_TO_NON_LIST, f'"{where}" is not a list')
    assumed = argument(node, "assumedSize")
    if assumed is not None and assumed < 0:
        yield error(
            Code.LIST_SIZE_INVALID_ASSUMED_SIZE, f'Assumed size of "{where}" cannot be negative'
        )
    for name in argument(node, "slicingArguments") or []:
        arg = field.args.get(name)
        if arg is None:
            yield error(
                Code.LIST_SIZE_INVALID_SLICING_ARGUMENT,
                f'Slicing argument "{name}" is not an argument of "{where}"',
            )
        elif type_str(arg.type) not in ("Int", "Int!"):
            yield error(
                Code.LIST_SIZE_INVALID_SLICING_ARGUMENT,
                f'Slicing argument "{where}({name}:)" must be Int or Int!',
            )
    if sized:
        yield from _sized_fields(subgraph, field, sized, error)


def _sized_fields(
    subgraph: Subgraph, field: Field, sized: list[str], error: _ErrorFactory
) -> Iterator[CompositionError]:
    target = subgraph.types.get(named_type(field.type))
    if target is None or target.kind not in COMPOSITE:
        yield error(
            Code.LIST_SIZE_INVALID_SIZED_FIELD,
            f'Sized fields cannot be used because "{type_str(field.type)}" is not a composite type',
        )
        return
    for name in sized:
        found = target.fields.get(name)
        if found is None:
            yield error(
                Code.LIST_SIZE_INVALID_SIZED_FIELD,
                f'Sized field "{name}" is not a field on type "{target.name}"',
            )
        elif not _is_list(found.type):
            yield error(
                Code.LIST_SIZE_APPLIED_TO_NON_LIST,
                f'Sized field "{target.name}.{name}" is not a list',
            )


def _is_list(ref: TypeNode) -> bool:
    inner = ref.type if isinstance(ref, NonNullTypeNode) else ref
    return isinstance(inner, ListTypeNode)


def _access_control_on_interfaces(subgraph: Subgraph) -> Iterator[CompositionError]:
    for directive in ACCESS_CONTROL:
        for parent in subgraph.types.values():
            interface_object = subgraph.has(parent.directives, "interfaceObject")
            if parent.kind == "interface" or interface_object:
                kind = "interface" if parent.kind == "interface" else "interface object"
                for node in subgraph.applied(parent.directives, directive):
                    yield _on_interface(subgraph, node, kind, parent.name, None)
            if parent.kind == "interface":
                for field in parent.fields.values():
                    for node in subgraph.applied(field.directives, directive):
                        yield _on_interface(subgraph, node, "field", parent.name, field.name)


def _on_interface(
    subgraph: Subgraph, node: DirectiveNode, kind: str, parent: str, field: str | None
) -> CompositionError:
    where = f"{parent}.{field}" if field else parent
    name = node.name.value
    return _error(
        subgraph,
        Code.AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE,
        f'Invalid use of @{name} on {kind} "{where}": @{name} cannot be applied on interfaces, '
        "interface fields and interface objects. Put it on the implementations instead; the "
        "supergraph derives the interface's requirements from theirs.",
        parent,
        field,
    )
