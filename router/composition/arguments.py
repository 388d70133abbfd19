"""Directive arguments as Python values."""

from __future__ import annotations

from typing import Any

from graphql import DirectiveNode, value_from_ast_untyped


def argument(directive: DirectiveNode, name: str) -> Any:
    """A directive argument's Python value, or None when it is not given."""
    for arg in directive.arguments or ():
        if arg.name.value == name:
            return value_from_ast_untyped(arg.value)
    return None
