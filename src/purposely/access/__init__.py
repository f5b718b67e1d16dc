"""Who may knock on the gate over HTTP: services by scoped API tokens, members and the
privacy officer by accounts with passwords and browser sessions."""

from purposely.access.accounts import (
    Account,
    Invitation,
    Role,
    accept_invitation,
    invite_member,
    invite_officer,
    sign_in,
)
from purposely.access.sessions import Session, end_session, open_session, session_of
from purposely.access.tokens import Operation, Token, create_token, revoke_token, token_of

__all__ = [
    "Account",
    "Invitation",
    "Operation",
    "Role",
    "Session",
    "Token",
    "accept_invitation",
    "create_token",
    "end_session",
    "invite_member",
    "invite_officer",
    "open_session",
    "revoke_token",
    "session_of",
    "sign_in",
    "token_of",
]
