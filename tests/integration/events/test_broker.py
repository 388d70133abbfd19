from __future__ import annotations

import pytest
from kafka import KafkaAdminClient

from shared.runtime.broker import EmbeddedBroker


def test_broker_refuses_a_port_that_is_taken(embedded_broker: EmbeddedBroker) -> None:
    # given
    second = EmbeddedBroker(embedded_broker.port)

    # when / then
    with pytest.raises(RuntimeError, match="is already in use"):
        second.start()
    assert embedded_broker.running is True
    assert second.running is False


def test_restarted_broker_has_forgotten_its_topics(
    embedded_broker: EmbeddedBroker, demo_topic: str
) -> None:
    # when
    embedded_broker.stop()
    bootstrap = embedded_broker.start()

    # then
    admin = KafkaAdminClient(bootstrap_servers=[bootstrap])
    try:
        # Services of other tests may reconnect and create their own topics meanwhile.
        assert demo_topic not in admin.list_topics()
    finally:
        admin.close()
