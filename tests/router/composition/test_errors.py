"""Broken subgraph sets: Apollo and we reject them with the same codes, and ours say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.composition import CompositionError, compose
from tests.router.composition.sdl import FIXTURES, apollo_compose, fixture_sources

# set -> where our first error points: (subgraph, type, field)
WHERE: dict[str, tuple[str, str, str | None]] = {
    "errors_field_sharing": ("catalog", "Product", "name"),
    "errors_type_mismatch": ("catalog", "Product", "weight"),
    "errors_key_missing_field": ("catalog", "Product", None),
    "errors_key_invalid_type": ("catalog", "Product", "owner"),
    "errors_external_unused": ("inventory", "Product", "name"),
    "errors_external_missing_base": ("shipping", "Product", "weight"),
    "errors_requires_not_external": ("tax", "Product", "tax"),
    "errors_input_required_missing": ("catalog", "Filter", "limit"),
    "errors_enum_mismatch": ("search", "Sort", None),
    "errors_kind_mismatch": ("catalog", "Price", None),
    "errors_auth_on_interface": ("catalog", "Item", None),
    "errors_auth_on_external": ("shipping", "Product", "weight"),
    "errors_auth_transitive_requires": ("pricing", "Product", "margin"),
    "errors_cost_on_interface": ("catalog", "Item", "price"),
    "errors_list_size": ("catalog", "Query", "count"),
    "errors_fed1_extension_without_base": ("catalog", "Seller", None),
    "errors_fed1_only_unused_externals": ("shipping", "Box", None),
    "errors_fed1_field_sharing": ("accounts", "Account", "name"),
    "errors_context_not_set": ("shop", "Product", "price"),
    "errors_context_name_invalid": ("shop", "Store", None),
    "errors_context_invalid_selection": ("shop", "Product", "price"),
    "errors_context_no_resolvable_key": ("shop", "Product", "price"),
    "errors_no_context_in_selection": ("shop", "Product", "price"),
    "errors_contextual_argument_not_contextual": ("pricing", "Product", "price"),
}


@pytest.mark.parametrize("name", list(WHERE))
def test_broken_set_is_rejected_with_apollos_codes(apollo_peers: Path, name: str) -> None:
    # given
    folder = FIXTURES / name
    expected = apollo_compose(apollo_peers, folder)

    # when
    result = compose(fixture_sources(folder))

    # then
    assert expected.supergraph_sdl is None
    assert result.supergraph_sdl is None
    assert sorted(error.code for error in result.errors) == sorted(expected.codes)


@pytest.mark.parametrize("name", list(WHERE))
def test_error_names_the_subgraph_type_and_field(name: str) -> None:
    # given
    subgraph, type_name, field = WHERE[name]

    # when
    error = compose(fixture_sources(FIXTURES / name)).errors[0]

    # then
    assert (error.subgraph, error.type, error.field) == (subgraph, type_name, field)
    assert _mentions(error, subgraph, type_name, field)


def _mentions(error: CompositionError, subgraph: str, type_name: str, field: str | None) -> bool:
    where = f"{type_name}.{field}" if field else type_name
    return subgraph in error.message and where in error.message


# set -> the subgraph our @composeDirective error names
DIRECTIVE_COMPOSITION: dict[str, str] = {
    "errors_compose_directive_not_linked": "catalog",
    "errors_compose_directive_version": "pricing",
}


@pytest.mark.parametrize("name", list(DIRECTIVE_COMPOSITION))
def test_compose_directive_set_is_rejected_with_apollos_codes(
    apollo_peers: Path, name: str
) -> None:
    # given
    folder = FIXTURES / name
    expected = apollo_compose(apollo_peers, folder)

    # when
    result = compose(fixture_sources(folder))

    # then
    assert expected.supergraph_sdl is None
    assert result.supergraph_sdl is None
    assert sorted(error.code for error in result.errors) == sorted(expected.codes)
    assert [error.subgraph for error in result.errors] == [DIRECTIVE_COMPOSITION[name]]
    assert f'"{DIRECTIVE_COMPOSITION[name]}"' in result.errors[0].message
