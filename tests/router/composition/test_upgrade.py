"""Federation 1 subgraphs are upgraded before composing: what Federation 1 meant implicitly."""

from __future__ import annotations

from router.composition import SubgraphSource, compose
from router.composition.subgraph import read_subgraph
from router.composition.upgrade import upgrade_subgraphs
from tests.router.composition.sdl import FIXTURES, fixture_sources


def _read(folder: str) -> dict[str, object]:
    sources = fixture_sources(FIXTURES / folder)
    subgraphs = [read_subgraph(source, source.name.upper()) for source in sources]
    errors = upgrade_subgraphs(subgraphs)
    assert errors == []
    return {subgraph.name: subgraph for subgraph in subgraphs}


def test_value_type_in_two_subgraphs_becomes_shareable_and_extensions_definitions() -> None:
    # given
    subgraphs = _read("fed1_classic")

    # when
    reviews = subgraphs["reviews"]

    # then
    address = reviews.types["Address"]  # type: ignore[attr-defined]
    assert [d.name.value for d in address.directives] == ["shareable"]
    assert reviews.types["User"].is_extension is False  # type: ignore[attr-defined]
    assert [d.name.value for d in reviews.types["User"].fields["id"].directives] == []  # type: ignore[attr-defined]


def test_unused_external_field_is_removed() -> None:
    # given
    subgraphs = _read("fed1_classic")

    # when
    user = subgraphs["reviews"].types["User"]  # type: ignore[attr-defined]

    # then
    assert list(user.fields) == ["id", "name", "reviews", "address"]


def test_federation_2_set_is_left_as_written() -> None:
    # given
    source = SubgraphSource(
        "a",
        "http://a",
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
        'import: ["@external"])\n'
        "type Query { a: Int }\ntype Thing { x: Int @external }",
    )
    subgraph = read_subgraph(source, "A")

    # when
    errors = upgrade_subgraphs([subgraph])

    # then
    assert errors == []
    assert [d.name.value for d in subgraph.types["Thing"].fields["x"].directives] == ["external"]
    assert compose([source]).supergraph_sdl is None
