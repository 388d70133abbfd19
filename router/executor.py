"""Run a query plan against the subgraphs: one ``match`` over the plan's node kinds.

The executor owns the response data of one request and merges every fetch's result
into it in place, as Apollo's gateway does: a root fetch into the root, an entity
fetch into the very objects it sent representations of. Every branch returns the
errors it met, so a failed fetch contributes no data and its errors, never an
exception. Sequence runs its children in order; Parallel runs them concurrently, each
reading the objects it needs before its fetch and merging into them after it (a
sibling's fetch touches other fields of them, never the path to them).

Errors take the shapes Apollo's gateway (2.14) gives, since clients compare answers:
subgraph errors keep their message and extensions, gain ``serviceName`` (and
``DOWNSTREAM_SERVICE_ERROR`` when they carry no code), and have their paths rewritten
to the client's response; a fetch that fails outright gives one error without a path.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode

from router.context_values import batch_key, context_variables
from router.merge import merge
from router.plan import Condition, Fetch, Flatten, Parallel, PlanNode, QueryPlan, Sequence
from router.response_path import ResponsePath, path_list
from router.subgraph_fetch import FetchFailed, SubgraphClient, post_operation

Data = dict[str, Any]
Errors = list[dict[str, Any]]


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
    data: Data = {}
    errors = await _execute(plan.node, context, data) if plan.node is not None else []
    return data, errors


async def _execute(node: PlanNode, context: ExecutionContext, data: Data) -> Errors:
    match node:
        case Fetch():
            return await _root_fetch(node, context, data)
        case Sequence(nodes):
            errors: Errors = []
            for child in nodes:
                errors += await _execute(child, context, data)
            return errors
        case Parallel(nodes):
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(_execute(child, context, data)) for child in nodes]
            return [error for task in tasks for error in task.result()]
        case Flatten(path, Fetch() as fetch):
            return await _entity_fetch(fetch, path, context, data)
        case Condition(variable, if_clause, else_clause):
            branch = if_clause if context.variables.get(variable) else else_clause
            return await _execute(branch, context, data) if branch else []
    raise TypeError(f"cannot execute plan node {node!r}")


async def _root_fetch(fetch: Fetch, context: ExecutionContext, data: Data) -> Errors:
    try:
        body = await post_operation(fetch, context, _fetch_variables(fetch, context))
    except FetchFailed as failure:
        return [failure.error]
    if body.data:
        merge(data, body.data)
    return [_subgraph_error(error, fetch.service, error.get("path")) for error in body.errors]


async def _entity_fetch(
    fetch: Fetch, path: tuple[str, ...], context: ExecutionContext, data: Data
) -> Errors:
    """One ``_entities`` request for every object at ``path`` (one per distinct set of
    contextual argument values, run concurrently, when the fetch has any)."""
    entities = _objects_at(data, path)
    if not fetch.context_rewrites:
        return await _fetch_entities(fetch, path, context, entities, {})
    batches: dict[Hashable, tuple[Data, list[tuple[ResponsePath, Data]]]] = {}
    for entity in entities:
        values = context_variables(data, entity[0], fetch.context_rewrites)
        batches.setdefault(batch_key(values), (values, []))[1].append(entity)
    async with asyncio.TaskGroup() as group:
        tasks = [
            group.create_task(_fetch_entities(fetch, path, context, batch, values))
            for values, batch in batches.values()
        ]
    return [error for task in tasks for error in task.result()]


async def _fetch_entities(
    fetch: Fetch,
    path: tuple[str, ...],
    context: ExecutionContext,
    entities: list[tuple[ResponsePath, Data]],
    context_values: Data,
) -> Errors:
    assert fetch.requires is not None
    rewrites = {
        typename: rewrite.set_value_to
        for rewrite in fetch.input_rewrites
        for typename in rewrite.matched_types()
    }
    objects = [entity for _, entity in entities]
    representations, slots = _representations(objects, fetch.requires, rewrites)
    if not representations:
        return []
    variables = {
        **_fetch_variables(fetch, context),
        **context_values,
        "representations": representations,
    }
    try:
        body = await post_operation(fetch, context, variables)
        results = _entities_of(body.data, len(representations))
    except FetchFailed as failure:
        return [failure.error]
    for entity, slot in zip(objects, slots, strict=True):
        result = results[slot] if slot is not None else None
        if isinstance(result, dict):
            merge(entity, result)
    return _entity_errors(body.errors, fetch, path, [p for p, _ in entities], slots)


def _representations(
    entities: list[Data], requires: SelectionSetNode, rewrites: dict[str, str]
) -> tuple[list[Data], list[int | None]]:
    """The distinct representations to send, and for each entity the index of its own
    (None when it has none: a required field is missing or the type does not match)."""
    representations: list[Data] = []
    index_of: dict[Hashable, int] = {}
    slots: list[int | None] = []
    for entity in entities:
        representation = _rewritten_representation(entity, requires, rewrites)
        if representation is None:
            slots.append(None)
            continue
        key = _dedup_key(representation)
        index = index_of.get(key)
        if index is None:
            index = index_of[key] = len(representations)
            representations.append(representation)
        slots.append(index)
    return representations, slots


def _dedup_key(representation: Data) -> Hashable:
    """``_hashable(representation)``, quicker for the usual flat one (scalar fields)."""
    key = tuple(representation.items())
    try:
        hash(key)
    except TypeError:  # a field holds an object or a list
        return _hashable(representation)
    return key


def _hashable(value: Any) -> Hashable:
    """A key equal for equal JSON values (as Python compares them: 1, 1.0 and true are
    one): objects become tuples of their items in order (representations list their
    fields in the ``requires`` selection's order), lists become tuples headed by
    ``list`` so that the two never meet."""
    if isinstance(value, dict):
        return tuple([(key, _hashable(item)) for key, item in value.items()])
    if isinstance(value, list):
        return (list, *[_hashable(item) for item in value])
    return cast(Hashable, value)


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
    representation["__typename"] = rewritten
    return representation


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
    raw: list[Data],
    fetch: Fetch,
    path: tuple[str, ...],
    paths: list[ResponsePath],
    slots: list[int | None],
) -> Errors:
    """Subgraph errors at ``_entities.N.…`` go to the client path of every object whose
    representation was N, in the objects' order (as if nothing had been deduplicated)."""
    placed: list[tuple[int, Data]] = []
    for error in raw:
        error_path = error.get("path")
        if isinstance(error_path, list) and len(error_path) > 1 and isinstance(error_path[1], int):
            rest = error_path[2:]
            targets = [i for i, slot in enumerate(slots) if slot == error_path[1]]
            placed += [
                (i, _subgraph_error(error, fetch.service, path_list(paths[i]) + rest))
                for i in targets
            ]
        else:
            client_path = [*path, *error_path] if isinstance(error_path, list) else None
            placed.append((len(paths), _subgraph_error(error, fetch.service, client_path)))
    placed.sort(key=lambda item: item[0])
    return [error for _, error in placed]


def _subgraph_error(error: Data, service: str, path: list[Any] | None) -> Data:
    given = error.get("extensions")
    extensions = {**(given if isinstance(given, dict) else {}), "serviceName": service}
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


def _objects_at(data: Data, path: tuple[str, ...]) -> list[tuple[ResponsePath, Data]]:
    """The objects at ``path`` with their response paths; ``"@"`` steps into every item
    of a list (the planner marks each level of a list with one)."""
    level: list[tuple[ResponsePath, Any]] = [(None, data)]
    for key in path:
        if key == "@":
            level = [
                ((prefix, index), item)
                for prefix, value in level
                if isinstance(value, list)
                for index, item in enumerate(value)
            ]
        else:
            level = [
                ((prefix, key), value[key])
                for prefix, value in level
                if isinstance(value, dict) and key in value
            ]
    return [(prefix, value) for prefix, value in level if isinstance(value, dict)]


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
