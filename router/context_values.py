"""The values of ``@fromContext`` arguments, found for each entity of an entity fetch.

A fetch's ``contextRewrites`` give, relative to an entity's place in the response, where
the value its field's contextual argument takes is: ``".."`` steps up one field (and the
list levels below it), ``"... on T"`` goes on only for an object of type ``T``, and a name
steps into that field. The first rewrite that finds a value for a variable gives it, as in
Apollo's router. Entities whose values differ go out in separate fetches.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

from router.plan import ContextRewrite
from router.response_path import ResponsePath, path_list

_FRAGMENT = "... on "


def context_variables(
    data: dict[str, Any], entity: ResponsePath, rewrites: Sequence[ContextRewrite]
) -> dict[str, Any]:
    """Variable -> value for the entity at ``entity``; a variable with no value is left out
    (the subgraph then gets null)."""
    found: dict[str, Any] = {}
    keys = path_list(entity)
    for rewrite in rewrites:
        if rewrite.rename_key_to in found:
            continue
        value = _value_at(data, keys, rewrite.path)
        if value is not _MISSING:
            found[rewrite.rename_key_to] = value
    return found


def batch_key(variables: dict[str, Any]) -> Hashable:
    """Equal for equal variables, so that entities sharing their values share a fetch."""
    return repr(sorted(variables.items()))


class _Missing:
    pass


_MISSING = _Missing()


def _value_at(data: dict[str, Any], entity: list[str | int], path: tuple[str, ...]) -> Any:
    keys = list(entity)
    steps = list(path)
    while steps and steps[0] == "..":
        steps.pop(0)
        while keys and isinstance(keys[-1], int):
            keys.pop()
        if not keys:
            return _MISSING
        keys.pop()
    value: Any = data
    for key in keys:
        value = _step(value, key)
    for step in steps:
        if step.startswith(_FRAGMENT):
            typename = value.get("__typename") if isinstance(value, dict) else None
            if not isinstance(value, dict) or typename not in (None, step[len(_FRAGMENT) :]):
                return _MISSING
        else:
            value = _step(value, step)
    return value


def _step(value: Any, key: str | int) -> Any:
    if isinstance(key, int):
        return value[key] if isinstance(value, list) and key < len(value) else _MISSING
    return value.get(key, _MISSING) if isinstance(value, dict) else _MISSING
