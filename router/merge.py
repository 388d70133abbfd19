"""Deep merge of response data without mutating either side."""

from __future__ import annotations

from typing import Any


def merged(target: Any, patch: Any) -> Any:
    """``patch`` laid over ``target``: objects merge key by key, lists of the same
    length item by item, anything else is replaced. Only the parts the patch touches
    are copied; the rest is shared with ``target``."""
    if isinstance(target, dict) and isinstance(patch, dict):
        if not patch:
            return target
        result = dict(target)
        for key, value in patch.items():
            result[key] = merged(target[key], value) if key in target else value
        return result
    if isinstance(target, list) and isinstance(patch, list) and len(target) == len(patch):
        return [merged(old, new) for old, new in zip(target, patch, strict=True)]
    return patch
