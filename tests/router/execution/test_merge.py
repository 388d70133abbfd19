from __future__ import annotations

from router.merge import merge


def test_objects_merge_deeply_and_lists_item_by_item_in_place() -> None:
    # given
    target = {"a": {"b": 1}, "list": [{"x": 1}, None], "keep": [1]}
    inner, items = target["a"], target["list"]
    # when
    result = merge(target, {"a": {"c": 2}, "list": [{"y": 2}, None]})
    # then
    assert result is target
    assert target == {"a": {"b": 1, "c": 2}, "list": [{"x": 1, "y": 2}, None], "keep": [1]}
    assert target["a"] is inner
    assert target["list"] is items


def test_lists_of_other_lengths_and_scalars_are_replaced() -> None:
    # given
    target = {"list": [1, 2], "name": "old", "object": {"a": 1}}
    patch = {"list": [3], "name": "new", "object": None}
    # when
    merge(target, patch)
    # then
    assert target == {"list": [3], "name": "new", "object": None}
    assert target["list"] is patch["list"]


def test_merging_the_same_patch_twice_changes_nothing_more() -> None:
    # given
    target = {"user": {"id": "1"}}
    patch = {"user": {"name": "Ada", "tags": [{"t": 1}]}}
    merge(target, patch)
    # when
    merge(target, patch)
    # then
    assert target == {"user": {"id": "1", "name": "Ada", "tags": [{"t": 1}]}}
