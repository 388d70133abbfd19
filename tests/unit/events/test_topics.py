from __future__ import annotations

from shared.events.kafka import ALL_TOPICS, dead_letter_topic


def test_each_domain_has_a_topic_and_a_dead_letter_topic() -> None:
    # then
    assert dead_letter_topic("users") == "users.dlq"
    assert ALL_TOPICS == [
        "auth", "users", "products", "orders", "payments",
        "carts", "discounts", "shipping", "returns", "notifications",
        "auth.dlq", "users.dlq", "products.dlq", "orders.dlq", "payments.dlq",
        "carts.dlq", "discounts.dlq", "shipping.dlq", "returns.dlq", "notifications.dlq",
    ]  # fmt: skip
