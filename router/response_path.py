"""A response path as a linked list: ``(parent, key)`` pairs ending in None (the root).

Walking response data builds one pair per step, which costs far less than copying a
list at every step; the path becomes a list (a GraphQL error's ``path``) only when an
error needs it.
"""

from __future__ import annotations

ResponsePath = tuple["ResponsePath", str | int] | None


def path_list(path: ResponsePath) -> list[str | int]:
    """``["users", 0, "name"]`` for ``(((None, "users"), 0), "name")``."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    keys.reverse()
    return keys
