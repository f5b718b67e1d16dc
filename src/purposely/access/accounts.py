"""Web accounts: a member's, tied to their subject (and erased with it), or a privacy
officer's. Both start as a one-time invitation link and get a password when it is used.

Passwords are hashed with argon2id (argon2-cffi's defaults, the RFC 9106 recommendation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Select, insert, select, update

from purposely.access.secrets import digest, new_secret
from purposely.errors import PurposelyError
from purposely.store import Store
from purposely.store.models import Account as AccountRow
from purposely.store.models import Subject
from purposely.store.subjects import find_subject

INVITE_VALID = timedelta(days=7)
MIN_PASSWORD = 12
_HASHER = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("purposely: no such account")


class Role(StrEnum):
    """Who an account belongs to."""

    MEMBER = "member"
    OFFICER = "officer"


@dataclass(frozen=True)
class Account:
    """A signed-in person: a member (with their subject) or the privacy officer."""

    pk: int
    role: Role
    subject_pk: int | None
    subject_id: str | None
    login: str | None

    @property
    def caller(self) -> str:
        """How audit events name this account's requests (no personal data: the account pk)."""
        return f"web:{self.role.value}:{self.pk}"


@dataclass(frozen=True)
class Invitation:
    """A one-time link's secret part, its account and when it expires."""

    secret: str
    account_pk: int
    expires_at: datetime

    def link(self, base_url: str) -> str:
        """The link to hand to the person."""
        return f"{base_url.rstrip('/')}/invite/{self.secret}"


def invite_member(store: Store, subject: str, *, valid: timedelta = INVITE_VALID) -> Invitation:
    """An invitation for the member ``subject`` (id or @handle). Inviting again replaces the
    earlier link; a member who has a password keeps it until they set a new one."""
    with store.write() as conn:
        ref = find_subject(conn, subject)
        pk = conn.execute(
            select(AccountRow.pk).where(AccountRow.subject_pk == ref.pk)
        ).scalar_one_or_none()
        if pk is None:
            pk = _create(conn, Role.MEMBER, subject_pk=ref.pk, login=None)
        return _invite(conn, pk, valid)


def invite_officer(store: Store, login: str, *, valid: timedelta = INVITE_VALID) -> Invitation:
    """An invitation for the privacy officer who signs in as ``login``."""
    if not login.strip() or login.startswith("@"):
        raise PurposelyError(f"invalid officer name {login!r}: use letters, digits, . or -")
    with store.write() as conn:
        pk = conn.execute(
            select(AccountRow.pk).where(AccountRow.login == login, AccountRow.role == Role.OFFICER)
        ).scalar_one_or_none()
        if pk is None:
            pk = _create(conn, Role.OFFICER, subject_pk=None, login=login)
        return _invite(conn, pk, valid)


def invitation_account(store: Store, secret: str) -> Account | None:
    """The account a still valid invitation ``secret`` is for, or None."""
    with store.read() as conn:
        row = conn.execute(_accounts().where(AccountRow.invite_sha256 == digest(secret))).first()
    if row is None or row.invite_expires_at < datetime.now(UTC):
        return None
    return _account(row)


def accept_invitation(store: Store, secret: str, password: str) -> Account:
    """Set the password of the invitation's account and use the invitation up."""
    if len(password) < MIN_PASSWORD:
        raise PurposelyError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    account = invitation_account(store, secret)
    if account is None:
        raise PurposelyError("this invitation link is unknown, used or expired: ask for a new one")
    with store.write() as conn:
        done = conn.execute(
            update(AccountRow)
            .where(AccountRow.pk == account.pk, AccountRow.invite_sha256 == digest(secret))
            .values(password_hash=_HASHER.hash(password), invite_sha256=None)
        )
    if not done.rowcount:  # used by a concurrent request in the meantime
        raise PurposelyError("this invitation link is unknown, used or expired: ask for a new one")
    return account


def sign_in(store: Store, role: Role, name: str, password: str) -> Account | None:
    """The account of ``name`` (a member's id or @handle, or an officer's login) if
    ``password`` is right, else None. Takes as long whether or not the name exists."""
    with store.read() as conn:
        if role is Role.MEMBER:
            handle = name[1:] if name.startswith("@") else None
            who = Subject.handle == handle if handle else Subject.id == name
            query = _accounts().where(who, AccountRow.role == Role.MEMBER)
        else:
            query = _accounts().where(AccountRow.login == name, AccountRow.role == Role.OFFICER)
        row = conn.execute(query).first()
    stored = row.password_hash if row is not None and row.password_hash else None
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return _account(row) if stored is not None else None


def account_of(conn: Connection, account_pk: int) -> Account | None:
    """The account with primary key ``account_pk``, if it still exists."""
    row = conn.execute(_accounts().where(AccountRow.pk == account_pk)).first()
    return _account(row) if row is not None else None


def _create(conn: Connection, role: Role, *, subject_pk: int | None, login: str | None) -> int:
    row = {"role": role.value, "subject_pk": subject_pk, "login": login}
    result = conn.execute(
        insert(AccountRow).returning(AccountRow.pk), [{**row, "created_at": datetime.now(UTC)}]
    )
    return int(result.scalar_one())


def _invite(conn: Connection, pk: int, valid: timedelta) -> Invitation:
    secret, expires = new_secret(), datetime.now(UTC) + valid
    conn.execute(
        update(AccountRow)
        .where(AccountRow.pk == pk)
        .values(invite_sha256=digest(secret), invite_expires_at=expires)
    )
    return Invitation(secret=secret, account_pk=pk, expires_at=expires)


def _accounts() -> Select[*tuple[Any, ...]]:  # the columns _account reads
    return select(
        AccountRow.pk,
        AccountRow.role,
        AccountRow.subject_pk,
        AccountRow.login,
        AccountRow.password_hash,
        AccountRow.invite_expires_at,
        Subject.id.label("subject_id"),
    ).outerjoin(Subject, Subject.pk == AccountRow.subject_pk)


def _account(row: Any) -> Account:
    return Account(
        pk=int(row.pk),
        role=Role(row.role),
        subject_pk=row.subject_pk,
        subject_id=row.subject_id,
        login=row.login,
    )
