"""Web accounts and sessions on each database: invitations are one-time and expire, passwords
are argon2id hashes, sign-in takes an id or @handle, and a member's account and sessions go
when the member is erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from purposely.access import (
    Role,
    accept_invitation,
    end_session,
    invite_member,
    invite_officer,
    open_session,
    session_of,
    sign_in,
)
from purposely.access.accounts import MIN_PASSWORD, invitation_account
from purposely.errors import PurposelyError, UnknownSubjectError
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.rights.erase import erase
from purposely.store import Store
from purposely.store.models import Account, WebSession
from tests.factories import subject, write_jsonl

PASSWORD = "correct horse battery staple"


@pytest.fixture
def members(store: Store, policy: Policy) -> Store:
    """A store holding Alice and Bob."""
    lines = [subject("alice", handle="alice"), subject("bob", handle="bobby")]
    ingest_jsonl(store, policy, write_jsonl(Path("members.jsonl"), lines))
    return store


def test_an_invitation_sets_a_password_once(members: Store) -> None:
    invitation = invite_member(members, "@alice")
    assert invitation.link("https://example.org/").startswith("https://example.org/invite/")
    account = accept_invitation(members, invitation.secret, PASSWORD)
    assert (account.role, account.subject_id) == (Role.MEMBER, "alice")
    assert account.caller == f"web:member:{account.pk}"
    with pytest.raises(PurposelyError, match="used or expired"):
        accept_invitation(members, invitation.secret, "another long passphrase")
    assert sign_in(members, Role.MEMBER, "alice", PASSWORD) == account


def test_the_store_keeps_an_argon2id_hash_never_the_password(members: Store) -> None:
    invitation = invite_member(members, "alice")
    accept_invitation(members, invitation.secret, PASSWORD)
    with members.read() as conn:
        stored, invite = conn.execute(select(Account.password_hash, Account.invite_sha256)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert invite is None  # used up
    assert invitation.secret not in str(stored)


def test_members_sign_in_with_their_id_or_handle(members: Store) -> None:
    accept_invitation(members, invite_member(members, "bob").secret, PASSWORD)
    by_id = sign_in(members, Role.MEMBER, "bob", PASSWORD)
    by_handle = sign_in(members, Role.MEMBER, "@bobby", PASSWORD)
    assert by_id is not None and by_id == by_handle
    assert sign_in(members, Role.MEMBER, "bobby", PASSWORD) is None  # a handle needs its @
    assert sign_in(members, Role.MEMBER, "bob", PASSWORD + "!") is None
    assert sign_in(members, Role.MEMBER, "@nobody", PASSWORD) is None
    assert sign_in(members, Role.OFFICER, "bob", PASSWORD) is None  # not an officer


def test_an_invited_member_without_a_password_cannot_sign_in(members: Store) -> None:
    invite_member(members, "alice")
    assert sign_in(members, Role.MEMBER, "alice", "") is None
    assert sign_in(members, Role.MEMBER, "alice", PASSWORD) is None


def test_inviting_again_replaces_the_link_and_keeps_the_password(members: Store) -> None:
    first = invite_member(members, "alice")
    accept_invitation(members, first.secret, PASSWORD)
    second = invite_member(members, "alice")
    third = invite_member(members, "alice")
    assert invitation_account(members, second.secret) is None  # replaced by the third
    assert sign_in(members, Role.MEMBER, "alice", PASSWORD) is not None  # until a new one
    accept_invitation(members, third.secret, "a second long passphrase")
    assert sign_in(members, Role.MEMBER, "alice", PASSWORD) is None
    with members.read() as conn:
        assert conn.scalar(select(func.count()).select_from(Account)) == 1


def test_an_expired_invitation_is_refused(members: Store) -> None:
    invitation = invite_member(members, "alice", valid=timedelta(seconds=-1))
    assert invitation_account(members, invitation.secret) is None
    with pytest.raises(PurposelyError, match="used or expired"):
        accept_invitation(members, invitation.secret, PASSWORD)


def test_a_short_password_is_refused_and_the_invitation_stays(members: Store) -> None:
    invitation = invite_member(members, "alice")
    with pytest.raises(PurposelyError, match=f"at least {MIN_PASSWORD}"):
        accept_invitation(members, invitation.secret, "x" * (MIN_PASSWORD - 1))
    assert invitation_account(members, invitation.secret) is not None
    with members.read() as conn:
        assert conn.scalar(select(Account.password_hash)) is None


def test_an_unknown_member_cannot_be_invited(members: Store) -> None:
    with pytest.raises(UnknownSubjectError):
        invite_member(members, "@carol")


def test_officers_have_a_login_of_their_own(members: Store) -> None:
    account = accept_invitation(members, invite_officer(members, "dpo").secret, PASSWORD)
    assert (account.role, account.login, account.subject_id) == (Role.OFFICER, "dpo", None)
    assert sign_in(members, Role.OFFICER, "dpo", PASSWORD) == account
    assert sign_in(members, Role.MEMBER, "dpo", PASSWORD) is None
    for bad in ("", "  ", "@dpo"):
        with pytest.raises(PurposelyError, match="invalid officer name"):
            invite_officer(members, bad)


def test_a_session_opens_until_it_ends_or_expires(members: Store) -> None:
    account = accept_invitation(members, invite_member(members, "alice").secret, PASSWORD)
    first, second = open_session(members, account), open_session(members, account)
    found = session_of(members, first.secret)
    assert found is not None and found.account == account
    end_session(members, first.secret)
    assert session_of(members, first.secret) is None
    assert session_of(members, second.secret) is not None  # other browsers stay signed in
    with members.write() as conn:
        conn.execute(update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(1)))
    assert session_of(members, second.secret) is None
    assert session_of(members, "not a session") is None


def test_a_new_session_sweeps_expired_ones(members: Store) -> None:
    account = accept_invitation(members, invite_member(members, "alice").secret, PASSWORD)
    old = open_session(members, account)
    with members.write() as conn:
        conn.execute(update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(1)))
    open_session(members, account)
    with members.read() as conn:
        assert conn.scalar(select(func.count()).select_from(WebSession)) == 1
    assert session_of(members, old.secret) is None


def test_erasing_a_member_takes_their_account_and_sessions(members: Store) -> None:
    alice = accept_invitation(members, invite_member(members, "alice").secret, PASSWORD)
    bob = accept_invitation(members, invite_member(members, "bob").secret, PASSWORD)
    held = open_session(members, alice)
    kept = open_session(members, bob)
    erase(members, ["alice"], caller="test")
    assert session_of(members, held.secret) is None
    assert sign_in(members, Role.MEMBER, "alice", PASSWORD) is None
    with members.read() as conn:
        assert conn.scalar(select(func.count()).select_from(Account)) == 1
    assert session_of(members, kept.secret) is not None  # Bob's is untouched
