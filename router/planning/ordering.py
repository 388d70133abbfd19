"""The order of sibling entity fetches, which decides how Apollo prints a ``Parallel``.

Apollo's planner walks a tree of the operation's paths; at each object it creates the
entity fetches leaving that object while iterating its branches backwards, and only
then descends into the branches in query order. Fetches made for ``@requires`` fields
are created later, when the requiring field is reached. Fields that were one of
several options are added to the plan one at a time, so their fetches keep query
order (the walker does not reorder those).
"""

from __future__ import annotations

from collections.abc import Collection

from router.planning.groups import FetchGroup


def order_like_apollo(
    group: FetchGroup,
    first: int,
    direct: Collection[FetchGroup],
    late: Collection[FetchGroup],
    path: tuple[str, ...],
) -> None:
    """Reorder ``group.children[first:]``, created by one selection set at ``path``:
    ``direct`` jumps from it backwards, then the others in creation order. A hop among
    the direct jumps gets the same treatment for its own fetches at ``path``.
    """
    created = group.children[first:]
    here = [child for child in created if child in direct and child not in late]
    group.children[first:] = here[::-1] + [child for child in created if child not in here]
    for hop in here:
        same = [c for c in hop.children if c.path == path and c not in late]
        hop.children[:] = same[::-1] + [c for c in hop.children if c not in same]
