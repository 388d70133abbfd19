"""Domain events: envelope, transactional outbox, idempotent inbox, Kafka bridge."""
