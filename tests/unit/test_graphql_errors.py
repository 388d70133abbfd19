"""How a ``SubgraphSchema`` answers failures: every error carries a stable code."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
import strawberry
from strawberry.types import ExecutionResult

from shared.errors import DomainError, ErrorCode
from shared.graphql import SubgraphSchema


@dataclass
class Probe:
    """The context: a request id, and what the resolvers were called with."""

    request_id: str = "request-1"
    calls: list[str] = field(default_factory=list)


Info = strawberry.Info[Probe, None]


@strawberry.input
class NoteInput:
    tags: list[str]


@strawberry.type
class Query:
    @strawberry.field
    def echo(self, info: Info, text: str) -> str:
        info.context.calls.append(text)
        return text

    @strawberry.field
    def note(self, info: Info, input: NoteInput) -> str:
        info.context.calls.extend(input.tags)
        return ",".join(input.tags)

    @strawberry.field
    def taken(self) -> str:
        raise DomainError(ErrorCode.CONFLICT, "This name is taken.", field="name")

    @strawberry.field
    def crash(self) -> str:
        raise RuntimeError("connection string with a password")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def save(self, info: Info, text: str) -> str:
        info.context.calls.append(text)
        return text


schema = SubgraphSchema(query=Query, mutation=Mutation)


async def execute(
    probe: Probe, query: str, variables: dict[str, Any] | None = None
) -> ExecutionResult:
    return await schema.execute(query, variable_values=variables, context_value=probe)


def errors(result: ExecutionResult) -> list[dict[str, Any]]:
    return [dict(error.formatted) for error in result.errors or []]


ECHO = "query Echo($text: String!) { echo(text: $text) }"
NUL_REFUSED = {
    "message": "Text must not contain the NUL character (U+0000).",
    "extensions": {"code": "BAD_USER_INPUT"},
}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (ECHO, {"text": "Ada\x00"}),
        ("query($input: NoteInput!) { note(input: $input) }", {"input": {"tags": ["a", "\x00"]}}),
        ("mutation Save($text: String!) { save(text: $text) }", {"text": "\x00"}),
        ('{ echo(text: "Ada\\u0000") }', None),
        ('{ echo(text: "Ada\x00") }', None),
        ('{ echo(text: """Ada\x00""") }', None),
        ('{ note(input: {tags: ["a", "\\u0000"]}) }', None),
    ],
    ids=[
        "variable",
        "nested-variable",
        "mutation-variable",
        "escaped-literal",
        "raw-literal",
        "block-string",
        "nested-literal",
    ],
)
async def test_nul_in_variables_or_literals_is_refused_before_any_resolver(
    query: str, variables: dict[str, Any] | None
) -> None:
    # given
    probe = Probe()

    # when
    result = await execute(probe, query, variables)

    # then
    assert result.data is None
    assert errors(result) == [NUL_REFUSED]
    assert probe.calls == []


async def test_other_control_characters_reach_the_resolver() -> None:
    # given
    probe = Probe()

    # when
    result = await execute(probe, ECHO, {"text": "Ada\x07"})

    # then
    assert (result.data, result.errors) == ({"echo": "Ada\x07"}, None)
    assert probe.calls == ["Ada\x07"]


async def test_domain_error_keeps_its_code_and_field() -> None:
    # when
    result = await execute(Probe(), "{ taken }")

    # then
    assert result.data is None
    assert errors(result) == [
        {
            "message": "This name is taken.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["taken"],
            "extensions": {"code": "CONFLICT", "field": "name"},
        }
    ]


async def test_unexpected_exception_is_masked_and_logged_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # when
    with caplog.at_level(logging.ERROR, logger="shared.graphql"):
        result = await execute(Probe(request_id="request-7"), "{ crash }")

    # then
    assert result.data is None
    assert errors(result) == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["crash"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "request-7"},
        }
    ]
    assert [record.getMessage() for record in caplog.records] == [
        "unexpected error (request request-7) at ['crash']"
    ]


@pytest.mark.parametrize(
    ("query", "variables", "message", "code"),
    [
        ("{ echo(", None, "Syntax Error: Expected Name, found <EOF>.", "GRAPHQL_PARSE_FAILED"),
        (
            "{ unknown }",
            None,
            "Cannot query field 'unknown' on type 'Query'.",
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            ECHO,
            {"text": 7},
            "Variable '$text' has invalid value: String cannot represent a non string value: 7",
            "BAD_USER_INPUT",
        ),
        (
            ECHO,
            {},
            "Variable '$text' has invalid value: Expected a value of non-null type 'String!'"
            " to be provided.",
            "BAD_USER_INPUT",
        ),
    ],
    ids=["syntax", "unknown-field", "variable-type", "variable-missing"],
)
async def test_request_errors_get_graphql_codes(
    query: str, variables: dict[str, Any] | None, message: str, code: str
) -> None:
    # given
    probe = Probe()

    # when
    result = await execute(probe, query, variables)

    # then
    assert result.data is None
    assert [(error["message"], error["extensions"]) for error in errors(result)] == [
        (message, {"code": code})
    ]
    assert probe.calls == []
