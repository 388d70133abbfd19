"""Secrets at rest: encrypted under a keyring that rotates, keys kept in a private file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from shared.crypto import DecryptionError, Keyring, key_id, new_key

SECRET = "pm_1Q2w3E4r5T6y"


def test_value_round_trips_and_is_stored_under_its_key_id() -> None:
    # given
    key = new_key()
    keyring = Keyring([key])

    # when
    stored = keyring.encrypt(SECRET)

    # then
    assert keyring.decrypt(stored) == SECRET
    assert stored.startswith(f"{key_id(key)}:")
    assert SECRET not in stored


def test_same_value_encrypts_differently_each_time() -> None:
    # given
    keyring = Keyring([new_key()])

    # when
    first, second = keyring.encrypt(SECRET), keyring.encrypt(SECRET)

    # then
    assert first != second


def test_rotated_keyring_reads_old_values_and_writes_with_the_new_key() -> None:
    # given
    old, new = new_key(), new_key()
    stored_before = Keyring([old]).encrypt(SECRET)
    rotated = Keyring([new, old])

    # when
    read = rotated.decrypt(stored_before)
    stored_after = rotated.encrypt(SECRET)

    # then
    assert read == SECRET
    assert stored_after.startswith(f"{key_id(new)}:")


def test_value_of_a_key_not_in_the_keyring_fails_naming_both() -> None:
    # given
    old, other = new_key(), new_key()
    stored = Keyring([old]).encrypt(SECRET)

    # when
    with pytest.raises(DecryptionError) as error:
        Keyring([other]).decrypt(stored)

    # then
    assert str(error.value) == (
        f"The value was encrypted with key {key_id(old)!r}, which is not in the keyring "
        f"{[key_id(other)]!r}: configure that key again to read it."
    )


def test_damaged_value_fails_clearly() -> None:
    # given
    key = new_key()
    keyring = Keyring([key])
    # A token another key made, under this key's id: its signature does not verify.
    foreign_token = Keyring([new_key()]).encrypt(SECRET).partition(":")[2]
    damaged = f"{key_id(key)}:{foreign_token}"

    # when
    with pytest.raises(DecryptionError) as error:
        keyring.decrypt(damaged)

    # then
    assert str(error.value) == f"The value under key {key_id(key)!r} is damaged."


def test_malformed_key_is_refused_with_its_position() -> None:
    # when
    with pytest.raises(ValueError) as error:
        Keyring.parse(f"{new_key()}, not-a-key")

    # then
    assert str(error.value) == (
        "Key 2 of the keyring is not a Fernet key (32 url-safe base64-encoded bytes)."
    )


def test_keyring_prints_key_ids_never_keys() -> None:
    # given
    key = new_key()

    # when
    printed = repr(Keyring([key]))

    # then
    assert printed == f"Keyring(key_ids={[key_id(key)]!r})"


def test_key_file_is_created_private_once_and_then_reused(tmp_path: Path) -> None:
    # given
    path = tmp_path / "keys" / "secrets.key"

    # when
    created = Keyring.load("", path)
    loaded = Keyring.load("", path)

    # then
    assert loaded.current_id == created.current_id
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.key"]


def test_configured_keys_win_and_no_file_is_made(tmp_path: Path) -> None:
    # given
    first, second = new_key(), new_key()
    path = tmp_path / "keys" / "secrets.key"

    # when
    keyring = Keyring.load(f"{first},{second}", path)

    # then
    assert keyring.current_id == key_id(first)
    assert keyring.decrypt(Keyring([second]).encrypt(SECRET)) == SECRET
    assert not path.parent.exists()
