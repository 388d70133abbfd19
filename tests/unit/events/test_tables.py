from __future__ import annotations

from sqlalchemy import MetaData

from shared.events.inbox import inbox, inbox_table
from shared.events.outbox import OUTBOX, outbox_table


def test_outbox_seen_without_metadata_matches_the_migrated_table() -> None:
    # when
    table = outbox_table(MetaData())

    # then
    assert table.name == OUTBOX.name == "outbox_events"
    assert list(table.c.keys()) == list(OUTBOX.c.keys())


def test_inbox_seen_without_metadata_matches_the_migrated_table() -> None:
    # when
    table = inbox_table(MetaData(), name="user_event_logs")

    # then
    assert table.name == inbox("user_event_logs").name == "user_event_logs"
    assert list(table.c.keys()) == list(inbox().c.keys())
    assert [c.name for c in table.c if c.unique] == ["event_id"]


def test_outbox_has_an_index_for_unpublished_rows_oldest_first() -> None:
    # when
    table = outbox_table(MetaData())

    # then
    (index,) = table.indexes
    assert [c.name for c in index.columns] == ["id"]
    assert str(index.dialect_options["postgresql"]["where"]) == "published_at IS NULL"
