from __future__ import annotations

from router.merge import merged


def test_objects_merge_deeply_and_lists_item_by_item() -> None:
    # given
    target = {"a": {"b": 1}, "list": [{"x": 1}, None], "keep": [1]}
    # when
    result = merged(target, {"a": {"c": 2}, "list": [{"y": 2}, None]})
    # then
    assert result == {"a": {"b": 1, "c": 2}, "list": [{"x": 1, "y": 2}, None], "keep": [1]}
    assert target == {"a": {"b": 1}, "list": [{"x": 1}, None], "keep": [1]}
