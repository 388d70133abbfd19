"""The SDL normaliser forgives only what carries no meaning: definition and directive order."""

from __future__ import annotations

from tests.router.composition.sdl import normalise_sdl


def test_definition_and_directive_order_do_not_matter() -> None:
    # given
    first = "type B @a(x: 1) @b { f: Int }\n\ntype A @join__type(graph: X) { g: Int }"
    second = "type A @join__type(graph: X) { g: Int }\n\ntype B @b @a(x: 1) { f: Int }"

    # when / then
    assert normalise_sdl(first) == normalise_sdl(second)


def test_field_types_and_arguments_still_matter() -> None:
    # given
    first = "type A { f(x: Int): Int }"
    second = "type A { f(x: Int!): Int }"

    # when / then
    assert normalise_sdl(first) != normalise_sdl(second)
