"""`commerce plan` prints the plan of an operation over the project's supergraph, the
way Apollo's query planner prints it (graphql-js 16's printer, for argument literals too)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shared.cli import main
from shared.runtime.platform import SUPERGRAPH_FILE
from tests.router.fixtures.servers import compose_supergraph
from tests.router.planner.conftest import FEDERATION

OPERATIONS = [
    "{ me { email profile { firstName } addresses { city } } }",
    "query Lookup($email: String!) { userByEmail(email: $email) { id email roles } }",
    "mutation In($input: LoginInput!) { login(input: $input) { user { email profile { id } } } }",
]

SEARCH = """
type Query {
  search(filter: Filter, ids: [Int!], matrix: [[Int]], name: String): [Item!]!
}

input Filter {
  text: String
  tags: [String!]
  nested: Filter
}

type Item @key(fields: "id") {
  id: ID!
}
"""

SCORES = """
type Item @key(fields: "id") {
  id: ID!
  score: Int
}
"""

LONG_TEXT = "a text long enough to take the line well past eighty characters"
LITERAL_OPERATIONS = [
    '{ search(filter: {text: "x", tags: ["a", "b"], nested: {tags: []}}) { id score } }',
    "{ search(filter: {}, ids: [1, 2, 3], matrix: [[1], [], [null, 2]]) { id } }",
    f'{{ long: search(filter: {{text: "{LONG_TEXT}", nested: {{text: "{LONG_TEXT}"}}}},'
    f' name: "n", ids: [{", ".join(map(str, range(40)))}]) {{ id score }} }}',
    'query Q($on: Boolean!) { search(name: """block\nstring""") @include(if: $on) { id } }',
]


@pytest.fixture(scope="module")
def search_supergraph(apollo_peers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    subgraphs = {
        "search": ("http://search/graphql", FEDERATION + SEARCH),
        "scores": ("http://scores/graphql", FEDERATION + SCORES),
    }
    path = tmp_path_factory.mktemp("supergraph") / "search.graphql"
    path.write_text(compose_supergraph(apollo_peers, subgraphs))
    return path


def _apollo_plan(
    apollo_peers: Path, operation_file: Path, supergraph: Path = SUPERGRAPH_FILE
) -> str:
    result = subprocess.run(
        ["node", "plan.mjs", str(supergraph), str(operation_file)],
        cwd=apollo_peers,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize("operation", OPERATIONS)
def test_printed_plan_is_apollos(
    operation: str, apollo_peers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    operation_file = tmp_path / "operation.graphql"
    operation_file.write_text(operation)

    # when
    code = main(["plan", str(operation_file)])

    # then
    assert code == 0
    assert capsys.readouterr().out == _apollo_plan(apollo_peers, operation_file)


@pytest.mark.parametrize("operation", LITERAL_OPERATIONS)
def test_argument_literals_print_as_apollo_prints_them(
    operation: str,
    search_supergraph: Path,
    apollo_peers: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Objects as `{a: 1}`, lists and objects never wrapped, long argument lists one a line."""
    # given
    operation_file = tmp_path / "operation.graphql"
    operation_file.write_text(operation)

    # when
    code = main(["plan", "--supergraph", str(search_supergraph), str(operation_file)])

    # then
    assert code == 0
    expected = _apollo_plan(apollo_peers, operation_file, search_supergraph)
    assert capsys.readouterr().out == expected


def test_object_literal_has_no_inner_spaces(
    search_supergraph: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    operation_file = tmp_path / "operation.graphql"
    operation_file.write_text('{ search(filter: {text: "x", nested: {}}) { id } }')

    # when
    main(["plan", "--supergraph", str(search_supergraph), str(operation_file)])

    # then
    assert '    search(filter: {text: "x", nested: {}}) {\n' in capsys.readouterr().out


def test_invalid_operation_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given
    operation_file = tmp_path / "operation.graphql"
    operation_file.write_text("{ me { nope } }")

    # when
    code = main(["plan", str(operation_file)])

    # then
    assert code == 1
    assert capsys.readouterr().err == "error: Cannot query field 'nope' on type 'User'.\n"
