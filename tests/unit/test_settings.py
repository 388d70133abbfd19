from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import pytest

from shared.settings import PREFIX, SERVICES, Settings


def test_empty_environment_gives_the_defaults() -> None:
    # given
    environ: dict[str, str] = {}

    # when
    settings = Settings.from_env(environ)

    # then
    assert settings == Settings()
    assert settings.data_dir == Path(".data")
    assert settings.base_port == 4000


def test_only_prefixed_variables_are_read() -> None:
    # given
    environ = {"DATABASE_URL": "postgresql://elsewhere", "COMMERCE_LOG_LEVEL": "debug"}

    # when
    settings = Settings.from_env(environ)

    # then
    assert settings.database_url == ""
    assert settings.log_level == "debug"


def test_values_are_coerced_to_the_type_of_their_default() -> None:
    # given
    environ = {
        "COMMERCE_BASE_PORT": "5000",
        "COMMERCE_OUTBOX_POLL_SECONDS": "0.5",
        "COMMERCE_DATA_DIR": "/var/lib/commerce",
    }

    # when
    settings = Settings.from_env(environ)

    # then
    assert settings.base_port == 5000
    assert settings.outbox_poll_seconds == 0.5
    assert settings.data_dir == Path("/var/lib/commerce")


def test_bad_value_names_the_variable_and_the_expected_type() -> None:
    # given
    environ = {"COMMERCE_BASE_PORT": "forty"}

    # when
    with pytest.raises(ValueError) as error:
        Settings.from_env(environ)

    # then
    assert str(error.value) == "COMMERCE_BASE_PORT='forty' is not a valid int"


def test_database_url_defaults_to_the_embedded_server() -> None:
    # given
    settings = Settings.from_env({"COMMERCE_EMBEDDED_POSTGRES_PORT": "6543"})

    # when
    url = settings.service_database_url("orders")

    # then
    assert settings.server_url() == "postgresql://postgres@127.0.0.1:6543"
    assert url == "postgresql+asyncpg://postgres@127.0.0.1:6543/commerce_orders"


def test_configured_database_url_gets_the_service_database_name() -> None:
    # given
    settings = Settings.from_env(
        {
            "COMMERCE_DATABASE_URL": "postgresql://app:secret@db.internal:5432/",
            "COMMERCE_DATABASE_PREFIX": "shop_",
        }
    )

    # when
    url = settings.service_database_url("payments")

    # then
    assert settings.database_name("payments") == "shop_payments"
    assert url == "postgresql+asyncpg://app:secret@db.internal:5432/shop_payments"


def test_each_service_listens_above_the_base_port_in_service_order() -> None:
    # given
    settings = Settings.from_env({"COMMERCE_BASE_PORT": "7000"})

    # when
    ports = {service: settings.port_of(service) for service in SERVICES}

    # then
    assert ports == {
        "auth": 7001,
        "users": 7002,
        "products": 7003,
        "orders": 7004,
        "payments": 7005,
        "carts": 7006,
        "discounts": 7007,
        "shipping": 7008,
        "returns": 7009,
        "notifications": 7010,
    }
    assert settings.service_url("carts") == "http://127.0.0.1:7006"


def test_kafka_servers_are_split_and_default_to_the_embedded_broker() -> None:
    # given
    configured = Settings.from_env({"COMMERCE_KAFKA_BOOTSTRAP_SERVERS": "k1:9092, k2:9092,"})
    embedded = Settings.from_env({"COMMERCE_EMBEDDED_KAFKA_PORT": "29092"})

    # when
    servers = (configured.kafka_servers(), embedded.kafka_servers())

    # then
    assert servers == (["k1:9092", "k2:9092"], ["127.0.0.1:29092"])


def test_env_example_documents_every_setting_with_its_default() -> None:
    # given
    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()

    # when
    documented = dict(re.findall(r"^# (COMMERCE_[A-Z0-9_]+)=(.*)$", text, re.MULTILINE))

    # then
    assert documented == {
        PREFIX + field.name.upper(): str(field.default) for field in fields(Settings)
    }
