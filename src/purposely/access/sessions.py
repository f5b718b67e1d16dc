"""Browser sessions: a random secret in an HttpOnly, SameSite cookie; its hash in the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select

from purposely.access.accounts import Account, account_of
from purposely.access.secrets import digest, new_secret
from purposely.store import Store
from purposely.store.models import WebSession

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class Session:
    """A signed-in browser: its cookie secret and its account."""

    secret: str
    account: Account
    expires_at: datetime


def open_session(store: Store, account: Account) -> Session:
    """A new session for ``account`` (after a successful sign-in)."""
    secret, now = new_secret(), datetime.now(UTC)
    row = {
        "secret_sha256": digest(secret),
        "account_pk": account.pk,
        "created_at": now,
        "expires_at": now + SESSION_LIFETIME,
    }
    with store.write() as conn:
        # Expired sessions go when a new one starts: no separate sweeper to run.
        conn.execute(delete(WebSession).where(WebSession.expires_at < now))
        conn.execute(insert(WebSession), [row])
    return Session(secret=secret, account=account, expires_at=now + SESSION_LIFETIME)


def session_of(store: Store, secret: str) -> Session | None:
    """The live session whose cookie holds ``secret``, or None."""
    with store.read() as conn:
        row = conn.execute(
            select(WebSession).where(WebSession.secret_sha256 == digest(secret))
        ).first()
        if row is None or row.expires_at < datetime.now(UTC):
            return None
        account = account_of(conn, row.account_pk)
    if account is None:
        return None
    return Session(secret=secret, account=account, expires_at=row.expires_at)


def end_session(store: Store, secret: str) -> None:
    """Sign out: the session's cookie no longer opens anything."""
    with store.write() as conn:
        conn.execute(delete(WebSession).where(WebSession.secret_sha256 == digest(secret)))
