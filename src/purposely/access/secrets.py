"""Random secrets handed out once, and the hashes the store keeps instead of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_secret() -> str:
    """A random, URL-safe secret of 256 bits."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """SHA-256 of ``secret``, hex: what the store keeps. A plain hash suffices (no salt, no
    slow hash) because the secrets are random 256-bit values, not passwords."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison."""
    return hmac.compare_digest(a.encode(), b.encode())
