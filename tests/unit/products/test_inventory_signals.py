"""Which stock event a change of available stock is."""

from __future__ import annotations

import pytest

from subgraphs.products.inventory import stock_signal


@pytest.mark.parametrize(
    ("before", "after", "threshold", "expected"),
    [
        (5, 0, 2, "inventory.out_of_stock"),
        (1, 0, 0, "inventory.out_of_stock"),
        (0, 3, 2, "inventory.back_in_stock"),
        (0, 1, 5, "inventory.back_in_stock"),
        (5, 2, 2, "inventory.low_stock"),
        (3, 1, 2, "inventory.low_stock"),
        (2, 1, 2, None),
        (10, 6, 5, None),
        (2, 8, 5, None),
        (0, 0, 5, None),
        (4, 4, 5, None),
    ],
)
def test_crossing_a_limit_is_an_event_and_staying_on_one_side_is_none(
    before: int, after: int, threshold: int, expected: str | None
) -> None:
    # when
    signal = stock_signal(before, after, threshold)

    # then
    assert signal == expected
