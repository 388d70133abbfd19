"""Run a query plan against the subgraphs: one ``match`` over the plan's node kinds.

Every branch returns ``(patch, errors)``: ``patch`` is data to deep-merge into what
the branch was given, so a failed fetch contributes no data and its errors, never an
exception. Sequence merges each child's patch before the next child runs; Parallel runs
its children concurrently on the same data and merges their patches afterwards.

Errors take the shapes Apollo's gateway (2.14) gives, since clients compare answers:
subgraph errors keep their message and extensions, gain ``serviceName`` (and
``DOWNSTREAM_SERVICE_ERROR`` when they carry no code), and have their paths rewritten
to the client's response; a fetch that fails outright gives one error without a path.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.merge import merged
from router.plan import Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan, Sequence
from router.subgraph_fetch import FetchFailed, SubgraphClient, post_operation

Data = dict[str, Any]
Errors = list[dict[str, Any]]
Path = list[str | int]


@dataclass(frozen=True)
class ExecutionContext:
    """What stays the same for every fetch of one client request."""

    subgraph_urls: Mapping[str, str]
    client: SubgraphClient
    variables: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    # Absolute time (the event loop's clock) after which no fetch is sent or awaited.
    deadline: float | None = None


async def execute_plan(plan: QueryPlan, context: ExecutionContext) -> tuple[Data, Errors]:
    """The merged data of every fetch in ``plan`` and the errors met on the way."""
    if plan.node is None:
        return {}, []
    patch, errors = await _execute(plan.node, context, {})
    return patch, errors


async def _execute(node: PlanNode, context: ExecutionContext, data: Data) -> tuple[Data, Errors]:
    match node:
        case Fetch():
            return await _root_fetch(node, context)
        case Sequence(nodes):
            view, patch, errors = data, {}, []
            for child in nodes:
                child_patch, child_errors = await _execute(child, context, view)
                view, patch = merged(view, child_patch), merged(patch, child_patch)
                errors += child_errors
            return patch, errors
        case Parallel(nodes):
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(_execute(child, context, data)) for child in nodes]
            patch, errors = {}, []
            for task in tasks:
                child_patch, child_errors = task.result()
                patch = merged(patch, child_patch)
                errors += child_errors
            return patch, errors
        case Flatten(path, Fetch() as fetch):
            return await _entity_fetch(fetch, path, context, data)
        case Condition(variable, if_clause, else_clause):
            branch = if_clause if context.variables.get(variable) else else_clause
            return await _execute(branch, context, data) if branch else ({}, [])
    raise TypeError(f"cannot execute plan node {node!r}")


async def _root_fetch(fetch: Fetch, context: ExecutionContext) -> tuple[Data, Errors]:
    try:
        body = await post_operation(fetch, context, _fetch_variables(fetch, context))
    except FetchFailed as failure:
        return {}, [failure.error]
    errors = [_subgraph_error(error, fetch.service, error.get("path")) for error in body.errors]
    return body.data or {}, errors


async def _entity_fetch(
    fetch: Fetch, path: tuple[str, ...], context: ExecutionContext, data: Data
) -> tuple[Data, Errors]:
    """One ``_entities`` request for every object at ``path``."""
    assert fetch.requires is not None
    entities = list(_objects_at(data, path, []))
    rewrites = {rewrite.from_type: rewrite.to_type for rewrite in fetch.input_rewrites}
    objects = [entity for _, entity in entities]
    representations, slots = _representations(objects, fetch.requires, rewrites)
    if not representations:
        return {}, []
    variables = {**_fetch_variables(fetch, context), "representations": representations}
    try:
        body = await post_operation(fetch, context, variables)
        results = _entities_of(body.data, len(representations))
    except FetchFailed as failure:
        return {}, [failure.error]
    patches = [
        _entity_patch(entity, results, slot)
        for (_, entity), slot in zip(entities, slots, strict=True)
    ]
    errors = _entity_errors(body.errors, fetch, path, [p for p, _ in entities], slots)
    return _place(data, list(path), iter(patches)), errors


def _representations(
    entities: list[Data], requires: SelectionSetNode, rewrites: dict[str, str]
) -> tuple[list[Data], list[int | None]]:
    """The distinct representations to send, and for each entity the index of its own
    (None when it has none: a required field is missing or the type does not match)."""
    representations: list[Data] = []
    index_of: dict[str, int] = {}
    slots: list[int | None] = []
    for entity in entities:
        representation = _rewritten_representation(entity, requires, rewrites)
        if representation is None:
            slots.append(None)
            continue
        key = json.dumps(representation, sort_keys=True)
        if key not in index_of:
            index_of[key] = len(representations)
            representations.append(representation)
        slots.append(index_of[key])
    return representations, slots


def _rewritten_representation(
    entity: Data, requires: SelectionSetNode, rewrites: dict[str, str]
) -> Data | None:
    """The entity's representation, its ``__typename`` replaced as ``rewrites`` say
    (fragments on the new name select from it too)."""
    typename = entity.get("__typename")
    if not isinstance(typename, str):
        return None
    rewritten = rewrites.get(typename, typename)
    representation = _representation(entity, requires, {typename, rewritten})
    if representation is None or "__typename" not in representation:
        return None
    return {**representation, "__typename": rewritten}


def _entity_patch(entity: Data, results: list[Any], slot: int | None) -> Data:
    result = results[slot] if slot is not None else None
    if not isinstance(result, dict):
        return {}
    if "__typename" not in result and "__typename" in entity:
        return {**result, "__typename": entity["__typename"]}
    return result


def _entities_of(data: Data | None, count: int) -> list[Any]:
    if data is None:
        return [None] * count
    entities = data.get("_entities")
    if not isinstance(entities, list):
        raise FetchFailed.internal('Expected "data._entities" in response to be an array')
    if len(entities) != count:
        raise FetchFailed.internal(f'Expected "data._entities" to contain {count} elements')
    return entities


def _entity_errors(
    raw: list[Data], fetch: Fetch, path: tuple[str, ...], paths: list[Path], slots: list[int | None]
) -> Errors:
    """Subgraph errors at ``_entities.N.…`` go to the client path of every object whose
    representation was N, in the objects' order (as if nothing had been deduplicated)."""
    placed: list[tuple[int, Data]] = []
    for error in raw:
        error_path = error.get("path")
        if isinstance(error_path, list) and len(error_path) > 1 and isinstance(error_path[1], int):
            rest = error_path[2:]
            targets = [i for i, slot in enumerate(slots) if slot == error_path[1]]
            placed += [(i, _subgraph_error(error, fetch.service, paths[i] + rest)) for i in targets]
        else:
            client_path = [*path, *error_path] if isinstance(error_path, list) else None
            placed.append((len(paths), _subgraph_error(error, fetch.service, client_path)))
    placed.sort(key=lambda item: item[0])
    return [error for _, error in placed]


def _subgraph_error(error: Data, service: str, path: list[Any] | None) -> Data:
    extensions = error.get("extensions") if isinstance(error.get("extensions"), dict) else {}
    extensions = {**extensions, "serviceName": service}
    extensions.setdefault("code", "DOWNSTREAM_SERVICE_ERROR")
    message = error.get("message") or f'Error while fetching subquery from service "{service}"'
    shaped: Data = {"message": message}
    if path is not None:
        shaped["path"] = path
    shaped["extensions"] = extensions
    return shaped


def _fetch_variables(fetch: Fetch, context: ExecutionContext) -> Data:
    return {
        name: context.variables[name] for name in fetch.variable_usages if name in context.variables
    }


def _objects_at(value: Any, path: tuple[str, ...], prefix: Path) -> Iterator[tuple[Path, Data]]:
    """The objects at ``path`` with their response paths; ``"@"`` steps into each item."""
    if value is None:
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects_at(
                item, path[1:] if path and path[0] == "@" else path, [*prefix, index]
            )
        return
    if not path:
        yield prefix, value
    elif path[0] in value:
        yield from _objects_at(value[path[0]], path[1:], [*prefix, path[0]])


def _place(value: Any, path: list[str], patches: Iterator[Data]) -> Any:
    """A patch shaped like ``value`` along ``path`` holding the next patch for each
    object ``_objects_at`` found, in the same order."""
    if value is None:
        return None
    if isinstance(value, list):
        rest = path[1:] if path and path[0] == "@" else path
        return [_place(item, rest, patches) for item in value]
    if not path:
        return next(patches)
    if path[0] not in value:
        return {}
    return {path[0]: _place(value[path[0]], path[1:], patches)}


def _representation(
    value: Any, selection_set: SelectionSetNode, typenames: set[str] | None = None
) -> Data | None:
    """The part of ``value`` that ``selection_set`` selects; None when a field is missing.

    Fragments apply when their type is one of ``typenames`` (by default the value's own).
    """
    if typenames is None:
        typenames = {value.get("__typename")}
    result: Data = {}
    for selection in selection_set.selections:
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            if condition is None or condition.name.value in typenames:
                inner = _representation(value, selection.selection_set, typenames)
                if inner is None:
                    return None
                result.update(inner)
        elif isinstance(selection, FieldNode):
            name = selection.alias.value if selection.alias else selection.name.value
            if name not in value:
                return None
            result[name] = _select(value[name], selection.selection_set)
    return result


def _select(value: Any, selection_set: SelectionSetNode | None) -> Any:
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [_select(item, selection_set) for item in value]
    return _representation(value, selection_set)
