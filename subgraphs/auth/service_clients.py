"""Service clients: the services that may call other subgraphs directly, each trading its
client id and secret (from the settings) for a short-lived token with role ``service``.

Nothing is stored: a client is known by its settings entry, and a token lives only
minutes, so a removed or changed secret stops working within ``SERVICE_TOKEN_TTL``.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import timedelta

from shared.auth.service_tokens import ServiceToken
from shared.auth.tokens import SERVICE_ROLE
from shared.errors import DomainError
from subgraphs.auth.credentials import Security
from subgraphs.auth.service import AuthErrorCode

log = logging.getLogger(__name__)

SERVICE_TOKEN_TTL = timedelta(minutes=5)
# Compared with when the client id is unknown, so that answer takes as long as a wrong secret.
_NO_SECRET = secrets.token_urlsafe(32)


def issue_service_token(security: Security, *, client_id: str, secret: str) -> ServiceToken:
    """A token with role ``service`` for a client presenting its secret.

    An unknown client and a wrong secret get the same INVALID_CREDENTIALS.
    """
    expected = security.service_clients.get(client_id)
    matches = hmac.compare_digest((expected or _NO_SECRET).encode(), secret.encode())
    if expected is None or not matches:
        log.warning("refused a service token to client %r", client_id[:64])
        raise DomainError(AuthErrorCode.INVALID_CREDENTIALS, "Invalid service credentials.")
    token = security.issuer.issue(
        user_id=f"service:{client_id}", email="", roles=[SERVICE_ROLE], ttl=SERVICE_TOKEN_TTL
    )
    return ServiceToken(access_token=token, expires_in=int(SERVICE_TOKEN_TTL.total_seconds()))
