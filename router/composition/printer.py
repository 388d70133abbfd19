"""Print a merged supergraph in the layout Apollo's composition writes."""

from __future__ import annotations

import re

from graphql import ListValueNode, ObjectValueNode, StringValueNode, ValueNode, print_ast

from router.composition import spec
from router.composition.feature_links import (
    feature_directive_definitions,
    feature_links,
    feature_types,
)
from router.composition.model import (
    Applied,
    MergedDirective,
    MergedField,
    MergedType,
    Supergraph,
)

DIRECTIVE_NAME = re.compile(r"^directive @(\w+)", re.MULTILINE)

KEYWORDS = {
    "object": "type",
    "interface": "interface",
    "union": "union",
    "enum": "enum",
    "input": "input",
    "scalar": "scalar",
}


def print_supergraph(supergraph: Supergraph) -> str:
    version = supergraph.federation_version
    blocks = spec.type_definitions(version) | feature_types(supergraph.features)
    blocks["join__Graph"] = _graph_enum(supergraph)
    blocks.update((merged.name, print_type(merged)) for merged in supergraph.types)
    ordered = [blocks[name] for name in sorted(blocks, key=str.lower)]
    directives = spec.directive_definitions(version)
    directives += feature_directive_definitions(supergraph.features)
    directives += [print_directive(directive) for directive in supergraph.directives]
    directives.sort(key=lambda text: DIRECTIVE_NAME.findall(text)[0].lower())
    return "\n\n".join([_schema(supergraph), *directives, *ordered])


def _schema(supergraph: Supergraph) -> str:
    links = [
        *spec.schema_links(supergraph.federation_version),
        *feature_links(supergraph.features),
        *(print_applied(d) for d in supergraph.schema_directives),
    ]
    applied = "".join(f"\n  {link}" for link in links)
    roots = "".join(f"\n  {op}: {name}" for op, name in supergraph.roots.items())
    return f"schema{applied}\n{{{roots}\n}}"


def _graph_enum(supergraph: Supergraph) -> str:
    values = "".join(
        f'\n  {g.enum_value} @join__graph(name: "{g.name}", url: "{g.url}")'
        for g in supergraph.graphs
    )
    return f"enum join__Graph {{{values}\n}}"


def print_type(merged: MergedType) -> str:
    header = f"{KEYWORDS[merged.kind]} {merged.name}"
    if merged.interfaces:
        header += " implements " + " & ".join(merged.interfaces)
    header += "".join(f"\n  {print_applied(d)}" for d in merged.directives)
    return _description(merged.description, "") + header + _body(merged)


def _body(merged: MergedType) -> str:
    if merged.kind == "union":
        return "\n = " + " | ".join(merged.members) if merged.members else ""
    if merged.kind == "scalar":
        return ""
    if merged.kind == "enum":
        lines = [
            _description(v.description, "  ", i > 0) + "  " + v.name + _inline(v.directives)
            for i, v in enumerate(merged.values)
        ]
    else:
        lines = [_field(field, i > 0) for i, field in enumerate(merged.fields)]
    return "\n{\n" + "\n".join(lines) + "\n}"


def print_directive(directive: MergedDirective) -> str:
    repeatable = " repeatable" if directive.repeatable else ""
    locations = " | ".join(directive.locations)
    args = _arguments(directive.args, "")
    text = f"directive @{directive.name}{args}{repeatable} on {locations}"
    return _description(directive.description, "") + text


def _arguments(args: list[MergedField], indent: str) -> str:
    """``(a: A, b: B)``, or one per line when some has a description."""
    if args and any(arg.description for arg in args):
        lines = "\n".join(_input_value(arg, indent + "  ") for arg in args)
        return f"(\n{lines}\n{indent})"
    if args:
        return "(" + ", ".join(_input_value(arg, "").strip() for arg in args) + ")"
    return ""


def _field(field: MergedField, spaced: bool) -> str:
    args = _arguments(field.args, "  ")
    line = f"  {field.name}{args}: {print_ast(field.type)}"
    if field.default is not None:
        line += f" = {print_ast(field.default)}"
    return _description(field.description, "  ", spaced) + line + _inline(field.directives)


def _input_value(arg: MergedField, indent: str) -> str:
    text = f"{indent}{arg.name}: {print_ast(arg.type)}"
    if arg.default is not None:
        text += f" = {print_ast(arg.default)}"
    return _description(arg.description, indent) + text + _inline(arg.directives)


def _inline(directives: list[Applied]) -> str:
    return "".join(" " + print_applied(d) for d in directives)


def print_applied(directive: Applied) -> str:
    if not directive.args:
        return f"@{directive.name}"
    args = ", ".join(f"{name}: {print_value(value)}" for name, value in directive.args)
    return f"@{directive.name}({args})"


def print_value(value: ValueNode) -> str:
    """As Apollo prints argument values: ``{a: 1}`` objects, no block strings."""
    if isinstance(value, ObjectValueNode):
        fields = (f"{field.name.value}: {print_value(field.value)}" for field in value.fields)
        return "{" + ", ".join(fields) + "}"
    if isinstance(value, ListValueNode):
        return "[" + ", ".join(print_value(item) for item in value.values) + "]"
    if isinstance(value, StringValueNode) and value.block:
        return print_ast(StringValueNode(value=value.value))
    return print_ast(value)


def _description(text: str | None, indent: str, spaced: bool = False) -> str:
    """A block-string description; long or multi-line ones get their own lines, as in graphql-js."""
    if text is None:
        return ""
    escaped = text.replace('"""', '\\"""')
    lead = "\n" if spaced else ""
    if len(text) > 70 or "\n" in text or text.endswith(('"', "\\")):
        body = "\n".join(indent + line if line else "" for line in escaped.split("\n"))
        return f'{lead}{indent}"""\n{body}\n{indent}"""\n'
    return f'{lead}{indent}"""{escaped}"""\n'
