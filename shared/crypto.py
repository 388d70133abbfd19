"""Secrets at rest: values encrypted under a keyring, and key files created once.

A stored value reads ``<key id>:<Fernet token>``. The key id is a hash of the key that
encrypted it, so a new key can encrypt while the keys before it still decrypt.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

_SEPARATORS = re.compile(r"[\s,]+")


class DecryptionError(ValueError):
    """A stored value no configured key decrypts: a missing key, or a damaged value."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def key_id(key: str) -> str:
    """A short name for the key that reveals nothing of it."""
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class Keyring:
    """Keys in order of preference: the first encrypts, every one decrypts."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("A keyring needs at least one key.")
        self._fernets = {key_id(key): _fernet(key, position) for position, key in enumerate(keys)}
        self.current_id = key_id(keys[0])

    def __repr__(self) -> str:
        return f"Keyring(key_ids={list(self._fernets)!r})"

    @classmethod
    def parse(cls, text: str) -> Keyring:
        """Keys separated by commas or whitespace (newlines, in a key file)."""
        return cls([key for key in _SEPARATORS.split(text) if key])

    @classmethod
    def load(cls, configured: str, path: Path) -> Keyring:
        """The configured keys; when there are none, the key file at ``path``, which is
        generated with one new key on first use."""
        if configured.strip():
            return cls.parse(configured)
        return cls.parse(read_or_create(path, lambda: f"{new_key()}\n".encode()).decode())

    def encrypt(self, plaintext: str) -> str:
        token = self._fernets[self.current_id].encrypt(plaintext.encode())
        return f"{self.current_id}:{token.decode()}"

    def decrypt(self, stored: str) -> str:
        kid, _, token = stored.partition(":")
        fernet = self._fernets.get(kid)
        if fernet is None:
            raise DecryptionError(
                f"The value was encrypted with key {kid!r}, which is not in the keyring "
                f"{list(self._fernets)!r}: configure that key again to read it."
            )
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise DecryptionError(f"The value under key {kid!r} is damaged.") from None


def _fernet(key: str, position: int) -> Fernet:
    try:
        return Fernet(key)
    except ValueError:
        raise ValueError(
            f"Key {position + 1} of the keyring is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from None


def read_or_create(path: Path, generate: Callable[[], bytes]) -> bytes:
    """The file's bytes, writing ``generate()`` to it first when it does not exist.

    The new content goes to a private temporary file that is linked into place, so a
    process starting at the same moment reads either no file or a whole one, and the
    first writer wins.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
        with os.fdopen(fd, "wb") as file:
            file.write(generate())
        try:
            os.link(temporary, path)  # fails if another process won the race
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_bytes()
