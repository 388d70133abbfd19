from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.events.envelope import Event


def test_event_survives_a_json_round_trip() -> None:
    # given
    event = Event(
        type="order.created",
        source="orders",
        key="order-1",
        data={"total": "12.50", "items": [{"sku": "A-1", "quantity": 2}]},
        id="7d6f3c1e-0000-4000-8000-000000000001",
        occurred_at=datetime(2026, 11, 21, 12, 30, tzinfo=UTC),
    )

    # when
    parsed = Event.from_json(event.to_json())

    # then
    assert parsed == event
    assert parsed.topic == "orders"


def test_envelope_uses_the_documented_field_names() -> None:
    # given
    event = Event(
        type="user.registered",
        source="auth",
        key="user-1",
        data={},
        id="id-1",
        occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )

    # when
    raw = event.to_json()

    # then
    assert raw == (
        b'{"id":"id-1","type":"user.registered","source":"auth",'
        b'"occurredAt":"2026-01-02T03:04:05+00:00","version":1,"key":"user-1","data":{}}'
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'{"id": "x"}',
        b'{"id":"x","type":"t","source":"s","occurredAt":"yesterday","version":1,"key":"k",'
        b'"data":{}}',
        b'{"id":"x","type":"t","source":"s","occurredAt":"2026-01-01T00:00:00+00:00",'
        b'"version":1,"key":"k","data":"text"}',
    ],
)
def test_garbage_is_not_an_envelope(raw: bytes) -> None:
    # when / then
    with pytest.raises(ValueError):
        Event.from_json(raw)
