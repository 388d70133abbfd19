"""`commerce plan` prints the plan of an operation over the project's supergraph, the
way Apollo's query planner prints it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shared.cli import main
from shared.runtime.platform import SUPERGRAPH_FILE

OPERATIONS = [
    "{ me { email profile { firstName } addresses { city } } }",
    "query Lookup($email: String!) { userByEmail(email: $email) { id email roles } }",
    "mutation In($input: LoginInput!) { login(input: $input) { user { email profile { id } } } }",
]


def _apollo_plan(apollo_peers: Path, operation_file: Path) -> str:
    result = subprocess.run(
        ["node", "plan.mjs", str(SUPERGRAPH_FILE), str(operation_file)],
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


def test_invalid_operation_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # given
    operation_file = tmp_path / "operation.graphql"
    operation_file.write_text("{ me { nope } }")

    # when
    code = main(["plan", str(operation_file)])

    # then
    assert code == 1
    assert capsys.readouterr().err == "error: Cannot query field 'nope' on type 'User'.\n"
