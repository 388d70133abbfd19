"""Settings read from environment variables prefixed ``COMMERCE_``.

Every knob has a default that runs the whole platform on one machine: when no
database URL or Kafka bootstrap servers are given, ``commerce dev`` starts an
embedded PostgreSQL and an embedded Kafka-protocol broker under ``COMMERCE_DATA_DIR``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PREFIX = "COMMERCE_"

# The ten domains, in port order: auth listens on base_port + 1, notifications on + 10,
# and the router on base_port itself.
SERVICES: tuple[str, ...] = (
    "auth",
    "users",
    "products",
    "orders",
    "payments",
    "carts",
    "discounts",
    "shipping",
    "returns",
    "notifications",
)


@dataclass(frozen=True)
class Settings:
    """All configuration of one process. Field ``foo_bar`` reads ``COMMERCE_FOO_BAR``."""

    # Server URL without a database name, e.g. postgresql://postgres@127.0.0.1:5432.
    # Empty: use the embedded server started by ``commerce dev``.
    database_url: str = ""
    # Each service owns database ``<database_prefix><service>``.
    database_prefix: str = "commerce_"
    # Comma-separated host:port list. Empty: use the embedded broker.
    kafka_bootstrap_servers: str = ""
    data_dir: Path = Path(".data")
    host: str = "127.0.0.1"
    base_port: int = 4000
    embedded_postgres_port: int = 55432
    embedded_kafka_port: int = 19092
    log_level: str = "info"

    # Auth tokens.
    jwt_issuer: str = "commerce-auth"
    jwt_audience: str = "commerce"
    # PEM file of the auth service's Ed25519 signing key; generated under data_dir if empty.
    jwt_private_key_file: str = ""
    # Where every subgraph fetches the public keys that verify bearer tokens;
    # empty: the auth service on this host (see ``jwks_endpoint``).
    jwks_url: str = ""
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    email_verification_ttl_seconds: int = 48 * 3600
    password_reset_ttl_seconds: int = 3600
    lockout_threshold: int = 5
    lockout_seconds: int = 900
    # argon2id cost; lower values make tests fast, a change rehashes on next login.
    argon2_time_cost: int = 3
    argon2_memory_cost_kib: int = 65536
    # Service clients as "client_id:secret" pairs, comma-separated: a service calling
    # another subgraph directly trades its pair for a short-lived token with role
    # ``service`` (auth's serviceToken). Auth holds every pair, each service its own.
    service_credentials: str = ""

    # Events.
    outbox_poll_seconds: float = 0.2
    # Published outbox rows are deleted after this long (some carry one-time tokens).
    outbox_retention_seconds: int = 3600
    consumer_max_attempts: int = 5
    consumer_retry_backoff_seconds: float = 0.2

    # Users: Fernet keys that encrypt saved payment methods' provider tokens, separated by
    # commas; the first encrypts, each decrypts (keep a retired key listed until no stored
    # token uses it). Empty: the keys in data_dir/keys/payment-tokens.key, generated once.
    payment_token_keys: str = ""

    # Products: the first start seeds a demo catalog into an empty products database.
    seed_demo_data: bool = True
    # Stock held for a checkout is released when not committed within this many seconds.
    reservation_ttl_seconds: int = 900

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None:
                continue
            default = getattr(cls, f.name)
            values[f.name] = _coerce(f.name, raw, type(default))
        return cls(**values)

    def database_name(self, service: str) -> str:
        return f"{self.database_prefix}{service}"

    def server_url(self) -> str:
        """The PostgreSQL server URL, embedded when none is configured."""
        if self.database_url:
            return self.database_url.rstrip("/")
        return f"postgresql://postgres@127.0.0.1:{self.embedded_postgres_port}"

    def service_database_url(self, service: str) -> str:
        """SQLAlchemy async URL of one service's database."""
        server = self.server_url().replace("postgresql://", "postgresql+asyncpg://", 1)
        return f"{server}/{self.database_name(service)}"

    def kafka_servers(self) -> list[str]:
        if self.kafka_bootstrap_servers:
            return [s.strip() for s in self.kafka_bootstrap_servers.split(",") if s.strip()]
        return [f"127.0.0.1:{self.embedded_kafka_port}"]

    def port_of(self, service: str) -> int:
        return self.base_port + 1 + SERVICES.index(service)

    def jwks_endpoint(self) -> str:
        return self.jwks_url or f"{self.service_url('auth')}/.well-known/jwks.json"

    def service_url(self, service: str) -> str:
        return f"http://{self.host}:{self.port_of(service)}"


def _coerce(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if kind is Path:
            return Path(raw)
        return kind(raw)
    except ValueError as exc:
        raise ValueError(f"{PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}") from exc
