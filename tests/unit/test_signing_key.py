"""The auth service's signing key file: created once, private, reused."""

from __future__ import annotations

import stat
from pathlib import Path

from shared.auth.tokens import SigningKey


def test_key_is_created_private_and_then_reused(tmp_path: Path) -> None:
    # given
    path = tmp_path / "keys" / "auth-signing.pem"

    # when
    created = SigningKey.load_or_create(path)
    loaded = SigningKey.load_or_create(path)

    # then
    assert loaded.kid == created.kid
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["auth-signing.pem"]


def test_jwk_carries_the_thumbprint_as_kid() -> None:
    # given
    key = SigningKey.generate()

    # when
    jwk = key.public_jwk()

    # then
    assert jwk["kid"] == key.kid
    assert (jwk["kty"], jwk["crv"], jwk["alg"], jwk["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert "d" not in jwk
