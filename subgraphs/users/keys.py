"""The keys that encrypt saved payment methods' provider tokens at rest."""

from __future__ import annotations

from shared.crypto import Keyring
from shared.settings import Settings


def payment_token_keyring(settings: Settings) -> Keyring:
    """The configured keys, else the key file under the data dir, made on first use."""
    path = settings.data_dir / "keys" / "payment-tokens.key"
    return Keyring.load(settings.payment_token_keys, path)
