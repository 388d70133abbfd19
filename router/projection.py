"""The client's response data, projected from the merged data by shapes compiled once.

A shape holds, for one concrete object type, the client's response keys in order
(aliases, ``__typename``, the fields of fragments whose type condition matches) and
for each field its nullability in the API schema and how to complete its value: a
leaf, an object, an abstract type (its runtime type read from the data), or a list.
Fields are collected by graphql-core's own ``collect_fields``/``collect_subfields``,
so ``@skip``/``@include`` and fragments mean exactly what they meant to ``execute``;
since ``@skip``/``@include`` may read variables, an operation has one shape per
combination of those variables' values, compiled when first met.

Completion gives what graphql-core's ``execute`` gave over the same data, error
messages included: a null in a non-null position is an error that nulls the nearest
nullable parent (and the fields after it in that parent are not completed, so their
errors are not reported); leaves go through their type's ``coerce_output_value``; an
abstract type's runtime type is the data's ``__typename``, or its first possible
type when the data gives none or the abstract type's own name (an
``@interfaceObject`` subgraph knows no other).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import (
    DirectiveNode,
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
    VariableNode,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    located_error,
    value_from_ast_untyped,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_variable_values
from graphql.language import Visitor, visit
from graphql.pyutils import inspect, is_iterable

from router.response_path import ResponsePath, path_list

Errors = list[GraphQLError]


class Completer(Protocol):
    def complete(self, value: Any, parent: ResponsePath, key: str | int, errors: Errors) -> Any:
        """``value`` (never None) completed at the response path ``(parent, key)``."""


@dataclass(frozen=True, slots=True)
class Position:
    """Where a value sits: a field of an object, or an item of a list."""

    non_null: bool
    completer: Completer
    # graphql-core's error for a null here; it names the field, for list items too.
    null_message: str


@dataclass(frozen=True, slots=True)
class Leaf:
    type: GraphQLLeafType

    def complete(self, value: Any, parent: ResponsePath, key: str | int, errors: Errors) -> Any:
        try:
            coerced = self.type.coerce_output_value(value)
        except Exception as error:
            raise located_error(error, None, path_list((parent, key))) from error
        if coerced is None or coerced is Undefined:
            message = (
                f"Expected `{inspect(self.type)}.coerce_output_value({inspect(value)})`"
                f" to return non-nullable value, returned: {inspect(coerced)}"
            )
            raise GraphQLError(message, path=path_list((parent, key)))
        return coerced


@dataclass(frozen=True, slots=True)
class ListShape:
    item: Position
    not_iterable_message: str

    def complete(
        self, value: Any, parent: ResponsePath, key: str | int, errors: Errors
    ) -> list[Any]:
        if not is_iterable(value):
            raise GraphQLError(self.not_iterable_message, path=path_list((parent, key)))
        path = (parent, key)
        item = self.item
        return [complete(item, element, path, index, errors) for index, element in enumerate(value)]


@dataclass(frozen=True, slots=True)
class ObjectShape:
    typename: str
    # Response key and position of each field, in the client's order; no position
    # for ``__typename``, which is the object's type whatever the data says.
    fields: tuple[tuple[str, Position | None], ...]

    def complete(
        self, value: Any, parent: ResponsePath, key: str | int, errors: Errors
    ) -> dict[str, Any]:
        return self.complete_fields(value, (parent, key), errors)

    def complete_fields(self, value: Any, path: ResponsePath, errors: Errors) -> dict[str, Any]:
        source = value if isinstance(value, dict) else {}
        result: dict[str, Any] = {}
        for key, position in self.fields:
            if position is None:
                result[key] = self.typename
            else:
                result[key] = complete(position, source.get(key), path, key, errors)
        return result


@dataclass(slots=True)
class AbstractShape:
    """An interface or union: one object shape per runtime type, compiled when met."""

    type: GraphQLAbstractType
    compiler: Compiler
    field_group: FieldDetailsList
    # "Parent.field", as graphql-core's errors name the field.
    label: str
    # The runtime type when the data names none, or names the abstract type itself.
    default_typename: str | None
    shapes: dict[str, ObjectShape] = field(default_factory=dict)

    def complete(
        self, value: Any, parent: ResponsePath, key: str | int, errors: Errors
    ) -> dict[str, Any]:
        typename = value.get("__typename") if isinstance(value, dict) else None
        if typename is None or typename == self.type.name:
            typename = self.default_typename
        shape = self.shapes.get(typename) if isinstance(typename, str) else None
        if shape is None:
            runtime_type = self._runtime_type(typename, value, path_list((parent, key)))
            shape = self.compiler.object_shape(runtime_type, self.field_group)
            self.shapes[runtime_type.name] = shape
        return shape.complete(value, parent, key, errors)

    def _runtime_type(self, typename: Any, value: Any, path: list[str | int]) -> GraphQLObjectType:
        """The object type named ``typename``, or graphql-core's error for it."""
        name = self.type.name
        if typename is None:
            message = (
                f"Abstract type '{name}' must resolve to an Object type at runtime"
                f" for field '{self.label}'. Either the '{name}' type should provide"
                " a 'resolve_type' function or each possible type should provide"
                " an 'is_type_of' function."
            )
        elif not isinstance(typename, str):
            message = (
                f"Abstract type '{name}' must resolve to an Object type at runtime"
                f" for field '{self.label}' with value {inspect(value)},"
                f" received '{inspect(typename)}', which is not a valid Object type name."
            )
        else:
            runtime_type = self.compiler.schema.get_type(typename)
            if runtime_type is None:
                message = (
                    f"Abstract type '{name}' was resolved to a type"
                    f" '{typename}' that does not exist inside the schema."
                )
            elif not is_object_type(runtime_type):
                message = f"Abstract type '{name}' was resolved to a non-object type '{typename}'."
            elif not self.compiler.schema.is_sub_type(self.type, runtime_type):
                message = f"Runtime Object type '{typename}' is not a possible type for '{name}'."
            else:
                return runtime_type
        raise GraphQLError(message, path=path)


def complete(
    position: Position, value: Any, parent: ResponsePath, key: str | int, errors: Errors
) -> Any:
    """The value at one position; on an error, null when the position may be null
    (the error is recorded), else the error goes up to the parent."""
    if value is None:
        if position.non_null:
            raise GraphQLError(position.null_message, path=path_list((parent, key)))
        return None
    try:
        return position.completer.complete(value, parent, key, errors)
    except GraphQLError as error:
        if position.non_null:
            raise
        errors.append(error)
        return None


@dataclass(frozen=True)
class Compiler:
    """Builds the shapes of one operation for one set of ``@skip``/``@include`` values."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    operation: OperationDefinitionNode

    def root_shape(self, root_type: GraphQLObjectType) -> ObjectShape:
        collected = collect_fields(
            self.schema, self.fragments, self.variables, root_type, self.operation
        )
        return self._object(root_type, collected.grouped_field_set)

    def object_shape(self, type_: GraphQLObjectType, field_group: FieldDetailsList) -> ObjectShape:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, type_, field_group
        )
        return self._object(type_, collected.grouped_field_set)

    def _object(
        self, type_: GraphQLObjectType, grouped: dict[str, FieldDetailsList]
    ) -> ObjectShape:
        fields: list[tuple[str, Position | None]] = []
        for key, group in grouped.items():
            name = group[0].node.name.value
            definition = self.schema.get_field(type_, name)
            if definition is None:
                continue  # graphql-core leaves out a field its type does not have
            if name == "__typename":
                fields.append((key, None))
            else:
                label = f"{type_.name}.{name}"
                fields.append((key, self._position(definition.type, group, label)))
        return ObjectShape(type_.name, tuple(fields))

    def _position(self, type_: GraphQLOutputType, group: FieldDetailsList, label: str) -> Position:
        message = f"Cannot return null for non-nullable field {label}."
        if is_non_null_type(type_):
            return Position(True, self._completer(type_.of_type, group, label), message)
        return Position(False, self._completer(type_, group, label), message)

    def _completer(
        self, type_: GraphQLOutputType, group: FieldDetailsList, label: str
    ) -> Completer:
        if is_list_type(type_):
            message = f"Expected Iterable, but did not find one for field '{label}'."
            return ListShape(self._position(type_.of_type, group, label), message)
        if is_leaf_type(type_):
            return Leaf(type_)
        if is_abstract_type(type_):
            possible = self.schema.get_possible_types(type_)
            default = possible[0].name if possible else None
            return AbstractShape(type_, self, group, label, default)
        assert is_object_type(type_), "an output type is a list, leaf, abstract or object"
        return self.object_shape(type_, group)


class Projection:
    """The shapes of one operation, one per combination of its ``@skip``/``@include``
    variables' values (a request that leaves one out gets its default)."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragments = {
            definition.name.value: FragmentDetails(definition)
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        used = _condition_variables(document)
        self.conditions = tuple(
            definition
            for definition in operation.variable_definitions or ()
            if definition.variable.name.value in used
        )
        self.names = tuple(definition.variable.name.value for definition in self.conditions)
        self.defaults = {
            definition.variable.name.value: value_from_ast_untyped(definition.default_value)
            for definition in self.conditions
            if definition.default_value is not None
        }
        self.shapes: dict[tuple[bool, ...], ObjectShape] = {}

    def complete(
        self, data: dict[str, Any], variables: dict[str, Any] | None
    ) -> tuple[dict[str, Any] | None, Errors] | None:
        """The client's data and the errors met, or None when a ``@skip``/``@include``
        variable is not a boolean (graphql-core's ``execute`` then says what is wrong)."""
        given = variables or {}
        values: list[bool] = []
        for name in self.names:
            value = given.get(name, self.defaults.get(name))
            if type(value) is not bool:
                return None
            values.append(value)
        key = tuple(values)
        shape = self.shapes.get(key)
        if shape is None:
            shape = self.shapes[key] = self._compile(key)
        errors: Errors = []
        try:
            return shape.complete_fields(data, None, errors), errors
        except GraphQLError as error:
            errors.append(error)
            return None, errors

    def _compile(self, values: tuple[bool, ...]) -> ObjectShape:
        inputs = dict(zip(self.names, values, strict=True))
        coerced = get_variable_values(self.schema, self.conditions, inputs)
        assert isinstance(coerced, VariableValues), "booleans coerce to Boolean"
        root_type = self.schema.get_root_type(self.operation.operation)
        assert root_type is not None, "validation checked the operation type"
        compiler = Compiler(self.schema, self.fragments, coerced, self.operation)
        return compiler.root_shape(root_type)


class _ConditionVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
        if node.name.value in ("skip", "include"):
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.add(argument.value.name.value)


def _condition_variables(document: DocumentNode) -> set[str]:
    """The variables that ``@skip``/``@include`` read anywhere in ``document``."""
    visitor = _ConditionVariables()
    visit(document, visitor)
    return visitor.names
