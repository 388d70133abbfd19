"""The JSON envelope every domain event travels in (DESIGN.md, Events)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.database import new_id, utcnow

ENVELOPE_VERSION = 1


@dataclass(frozen=True)
class Event:
    """One domain event. ``key`` is the aggregate id and becomes the Kafka message key."""

    type: str
    source: str
    key: str
    data: dict[str, Any]
    id: str = field(default_factory=new_id)
    occurred_at: datetime = field(default_factory=utcnow)
    version: int = ENVELOPE_VERSION

    @property
    def topic(self) -> str:
        """Topic per producing domain: ``order.created`` goes to ``orders``' topic."""
        return self.source

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "id": self.id,
                "type": self.type,
                "source": self.source,
                "occurredAt": self.occurred_at.isoformat(),
                "version": self.version,
                "key": self.key,
                "data": self.data,
            },
            separators=(",", ":"),
        ).encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> Event:
        """Parse an envelope; raises ``ValueError`` when it is not one."""
        try:
            doc = json.loads(raw)
            return cls(
                id=str(doc["id"]),
                type=str(doc["type"]),
                source=str(doc["source"]),
                occurred_at=datetime.fromisoformat(doc["occurredAt"]),
                version=int(doc["version"]),
                key=str(doc["key"]),
                data=dict(doc["data"]),
            )
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not an event envelope: {exc}") from exc
