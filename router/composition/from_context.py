"""Contextual arguments: ``@fromContext(field: "$name { selection }")`` on a field argument
takes its value from the nearest ancestor whose type sets context ``name`` with
``@context(name:)``, so clients never pass it.

The supergraph drops such an argument and lists it in ``@join__field(contextArguments:)``
with its context named after the subgraph (``shop__store``), as Apollo does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import ListValueNode, NameNode, ObjectFieldNode, ObjectValueNode, StringValueNode
from graphql import print_ast as print_type

from router.composition.arguments import argument
from router.composition.schema import Field
from router.composition.subgraph import Subgraph

# Apollo's parseContext: "$" and a name (ignored characters around them), then the selection.
_REFERENCE = re.compile(
    r"^(?:[\n\r\t ,]|#[^\n\r]*(?![^\n\r]))*\$(?:[\n\r\t ,]|#[^\n\r]*(?![^\n\r]))*"
    r"([A-Za-z_]\w*(?!\w))([\s\S]*)$"
)


@dataclass(frozen=True)
class ContextualArgument:
    """One argument marked ``@fromContext``; ``context`` or ``selection`` is empty when the
    reference does not name a context."""

    name: str
    argument: Field
    context: str
    selection: str


def parse_reference(text: str) -> tuple[str, str]:
    """``"$store { currency }"`` -> ``("store", " { currency }")``; empty strings if no
    context is named."""
    match = _REFERENCE.match(text)
    return (match[1], match[2]) if match else ("", "")


def contextual_arguments(subgraph: Subgraph, field: Field) -> list[ContextualArgument]:
    found = []
    for name, arg in field.args.items():
        applied = subgraph.applied(arg.directives, "fromContext")
        if applied:
            context, selection = parse_reference(str(argument(applied[0], "field") or ""))
            found.append(ContextualArgument(name, arg, context, selection))
    return found


def is_contextual(subgraph: Subgraph, arg: Field) -> bool:
    return subgraph.has(arg.directives, "fromContext")


def context_arguments_value(subgraph: Subgraph, field: Field) -> ListValueNode | None:
    """The ``contextArguments:`` value of the field's ``@join__field`` in ``subgraph``."""
    items = [
        ObjectValueNode(
            fields=tuple(
                ObjectFieldNode(name=NameNode(value=key), value=StringValueNode(value=value))
                for key, value in (
                    ("context", f"{subgraph.name}__{found.context}"),
                    ("name", found.name),
                    ("type", print_type(found.argument.type)),
                    ("selection", found.selection),
                )
            )
        )
        for found in contextual_arguments(subgraph, field)
    ]
    return ListValueNode(values=tuple(items)) if items else None
