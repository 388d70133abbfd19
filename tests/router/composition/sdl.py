"""Helpers to compare our supergraphs with Apollo's: normalise SDL, run Apollo's composition."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from graphql import DefinitionNode, Node, Visitor, parse, print_ast, visit

from router.composition import SubgraphSource

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "subgraphs"
PROJECT_SUBGRAPHS = Path(__file__).resolve().parents[3] / "schema" / "subgraphs"
CODE = re.compile(r"^([A-Z][A-Z0-9_]*): ", re.MULTILINE)


def normalise_sdl(sdl: str) -> str:
    """Definitions sorted by kind and name, directive applications sorted; the rest as given.

    Field, argument and enum value order stay: Apollo's order is deterministic and ours
    should follow it. Repeated directives (``@join__type`` ...) have no semantic order.
    """
    document = visit(parse(sdl, no_location=True), _SortDirectives())
    definitions = sorted(document.definitions, key=_sort_key)
    return "\n\n".join(print_ast(definition) for definition in definitions)


def _sort_key(definition: DefinitionNode) -> tuple[str, str]:
    name = getattr(definition, "name", None)
    return (definition.kind, name.value if name else "")


class _SortDirectives(Visitor):
    def leave(self, node: Node, *_: object) -> Node | None:
        directives = getattr(node, "directives", None)
        if not directives:
            return None
        return replace(node, directives=tuple(sorted(directives, key=print_ast)))  # type: ignore[type-var]


def fixture_sources(folder: Path) -> list[SubgraphSource]:
    """One source per ``<name>.graphql`` in ``folder``, routed at ``http://<name>.example``."""
    return [
        SubgraphSource(path.stem, f"http://{path.stem}.example/graphql", path.read_text())
        for path in sorted(folder.glob("*.graphql"))
    ]


@dataclass(frozen=True)
class ApolloResult:
    supergraph_sdl: str | None
    codes: list[str]


def apollo_compose(peers: Path, folder: Path) -> ApolloResult:
    """Compose ``folder``'s subgraphs with ``@apollo/composition`` (tests/peers/compose.mjs)."""
    arguments = [
        f"{path.stem}=http://{path.stem}.example/graphql={path}"
        for path in sorted(folder.glob("*.graphql"))
    ]
    done = subprocess.run(
        ["node", "compose.mjs", *arguments], cwd=peers, capture_output=True, text=True, check=False
    )
    if done.returncode == 0:
        return ApolloResult(done.stdout, [])
    # Messages may span lines (SATISFIABILITY_ERROR's do): codes start a line.
    return ApolloResult(None, CODE.findall(done.stderr))
