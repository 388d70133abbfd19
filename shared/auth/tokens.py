"""Signed access tokens: EdDSA (Ed25519) JWTs with a ``kid``, verified against a JWKS.

The auth service signs; every subgraph verifies on its own with the public keys it
fetches from the auth service's ``/.well-known/jwks.json``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.crypto import read_or_create
from shared.database import utcnow
from shared.errors import unauthenticated

log = logging.getLogger(__name__)

# Only asymmetric algorithms: never "none", never HMAC with a public key as secret.
ACCEPTED_ALGORITHMS = ("EdDSA", "RS256")

# The role of a token one service calls another with, outside the router; no account
# can be given it (auth's roles table does not hold it), only a token auth's serviceToken
# issues to a service client (see ``shared.auth.service_tokens``).
SERVICE_ROLE = "service"
# Staff read every customer's data in every subgraph; only admins write on others' behalf.
STAFF_ROLES = frozenset({"admin", "support"})


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    email: str
    roles: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


class SigningKey:
    """An Ed25519 private key and its RFC 7638 thumbprint, used as ``kid``."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self.private_key = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self._x = _b64url(raw)
        canonical = json.dumps(
            {"crv": "Ed25519", "kty": "OKP", "x": self._x}, separators=(",", ":")
        )
        self.kid = _b64url(hashlib.sha256(canonical.encode()).digest())

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """Load a PEM key, creating it on first use (atomically, see ``read_or_create``)."""
        pem = read_or_create(
            path,
            lambda: cls.generate().private_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return cls(key)

    def public_jwk(self) -> dict[str, str]:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": self._x,
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }


def jwks_document(keys: Iterable[SigningKey]) -> dict[str, Any]:
    return {"keys": [key.public_jwk() for key in keys]}


class TokenIssuer:
    def __init__(self, key: SigningKey, *, issuer: str, audience: str, ttl: timedelta) -> None:
        self.key = key
        self.issuer = issuer
        self.audience = audience
        self.ttl = ttl

    def issue(
        self,
        *,
        user_id: str,
        email: str,
        roles: Iterable[str],
        ttl: timedelta | None = None,
    ) -> str:
        """A signed token for the claims, valid for ``ttl`` (default: the issuer's)."""
        now = utcnow()
        claims = {
            "sub": user_id,
            "email": email,
            "roles": sorted(roles),
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + (ttl or self.ttl),
        }
        return jwt.encode(
            claims, self.key.private_key, algorithm="EdDSA", headers={"kid": self.key.kid}
        )


class KeySource(Protocol):
    async def key_for(self, kid: str) -> jwt.PyJWK | None: ...


class StaticKeys:
    """Keys known up front: the auth service verifies with its own key this way."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys}

    async def key_for(self, kid: str) -> jwt.PyJWK | None:
        return self._keys.get(kid)


class RemoteJwks:
    """Keys fetched from a JWKS URL, cached; an unknown ``kid`` triggers a refetch
    (at most once per ``min_refresh_seconds``) so key rotation needs no restart."""

    def __init__(self, url: str, *, min_refresh_seconds: float = 30.0) -> None:
        self.url = url
        self.min_refresh_seconds = min_refresh_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        # Concurrent verifications (sibling resolvers, a burst of requests) wait for the
        # one fetch under way instead of finding no key and rejecting a valid token.
        self._refreshing = asyncio.Lock()

    async def key_for(self, kid: str) -> jwt.PyJWK | None:
        if kid not in self._keys:
            async with self._refreshing:
                if kid not in self._keys and self._may_refresh():
                    await self._refresh()
        return self._keys.get(kid)

    def _may_refresh(self) -> bool:
        return time.monotonic() - self._fetched_at > self.min_refresh_seconds

    async def _refresh(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=5.0) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                jwks = jwt.PyJWKSet.from_dict(response.json())
                # Tokens name their key by kid, so a key without one can never be chosen.
                self._keys = {k.key_id: k for k in jwks.keys if k.key_id is not None}
        except (httpx.HTTPError, jwt.PyJWKSetError, ValueError) as exc:
            # Keep the keys we had; a later unknown kid retries after the interval.
            log.warning("could not fetch JWKS from %s: %s", self.url, exc)


class TokenVerifier:
    def __init__(self, keys: KeySource, *, issuer: str, audience: str) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience

    async def verify(self, token: str) -> AccessClaims:
        """Claims of a valid access token; UNAUTHENTICATED for anything else."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            raise unauthenticated("The access token is malformed.") from None
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in ACCEPTED_ALGORITHMS or not isinstance(kid, str):
            raise unauthenticated("The access token is not signed with an accepted key.")
        key = await self.keys.key_for(kid)
        if key is None or key.algorithm_name != alg:
            raise unauthenticated("The access token is not signed with an accepted key.")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise unauthenticated("The access token has expired.") from None
        except jwt.InvalidTokenError:
            raise unauthenticated("The access token is invalid.") from None
        return AccessClaims(
            user_id=str(claims["sub"]),
            email=str(claims.get("email", "")),
            roles=frozenset(str(r) for r in claims.get("roles", [])),
        )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
