"""@requiresScopes/@policy merged across subgraphs and derived onto interfaces, exactly."""

from __future__ import annotations

from router.composition import compose
from router.composition.directive_arguments import dnf_conjunction
from tests.router.composition.sdl import FIXTURES, fixture_sources


def test_scopes_from_two_subgraphs_are_anded_without_implied_alternatives() -> None:
    # given
    accounts = [["profile"], ["admin"]]
    reviews = [["admin"], ["profile", "reviews"]]

    # when
    merged = dnf_conjunction([accounts, reviews])

    # then
    assert merged == [["admin"], ["profile", "reviews"]]


def test_empty_scopes_ask_for_nothing() -> None:
    # given
    nothing: list[list[str]] = []

    # when
    merged = dnf_conjunction([nothing, [["b", "a"]]])

    # then
    assert merged == [["a", "b"]]


def test_interface_takes_the_requirements_of_its_implementations() -> None:
    # given
    sources = fixture_sources(FIXTURES / "access_control")

    # when
    sdl = compose(sources).supergraph_sdl

    # then
    assert sdl is not None
    node = _definition(sdl, "Node")
    assert node.splitlines()[:6] == [
        "interface Node",
        "  @join__type(graph: ACCOUNTS)",
        '  @join__type(graph: MEDIA, key: "id", isInterfaceObject: true)',
        "  @authenticated",
        '  @requiresScopes(scopes: [["reviews"]])',
        '  @policy(policies: [["hr"]])',
    ]


def test_field_resolved_in_two_subgraphs_keeps_their_merged_scopes() -> None:
    # given
    sources = fixture_sources(FIXTURES / "access_control")

    # when
    sdl = compose(sources).supergraph_sdl

    # then
    assert sdl is not None
    assert '  name: String @requiresScopes(scopes: [["admin"], ["profile", "reviews"]])' in (
        _definition(sdl, "User").splitlines()
    )


def _definition(sdl: str, name: str) -> str:
    """The printed block of type ``name`` (blocks are separated by blank lines)."""
    heads = (f"type {name}", f"interface {name}")
    return next(
        block
        for block in sdl.split("\n\n")
        if block.split("\n")[0].split(" implements")[0] in heads
    )
