"""Deep merge of response data, in place: the executor owns the data it merges into."""

from __future__ import annotations

from typing import Any


def merge(target: Any, patch: Any) -> Any:
    """``patch`` laid over ``target``: objects merge key by key and lists of the same
    length item by item, both in place (``target`` is returned, and shares the parts of
    ``patch`` it did not have); anything else is replaced (``patch`` is returned)."""
    if target is patch:
        return target
    if isinstance(target, dict) and isinstance(patch, dict):
        for key, value in patch.items():
            target[key] = merge(target[key], value) if key in target else value
        return target
    if isinstance(target, list) and isinstance(patch, list) and len(target) == len(patch):
        for index, value in enumerate(patch):
            target[index] = merge(target[index], value)
        return target
    return patch
