"""Who is asking: services by bearer token, members and the officer by session cookie.

A token used outside its scope is refused with 403 *and* leaves an audit event, so the
privacy officer sees attempts, not only uses. Forms are protected against cross-site
requests by a token bound to the browser (see :func:`csrf_token`).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import defaultdict, deque
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from purposely import audit
from purposely.access import Operation, Role, Session, Token, session_of, token_of
from purposely.access.secrets import new_secret
from purposely.api.services import Services, services
from purposely.consent.ledger import watermark

SESSION_COOKIE = "purposely_session"
CSRF_COOKIE = "purposely_csrf"
CSRF_FIELD = "csrf"
REFUSED = "api.refused"

_bearer = HTTPBearer(auto_error=False, description="An API token: `purposely token create`.")
ServicesDep = Annotated[Services, Depends(services)]


def token(
    svc: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Token:
    """FastAPI dependency: the request's live API token, or 401."""
    found = token_of(svc.store, credentials.credentials) if credentials else None
    if found is None:
        raise HTTPException(
            401,
            "a valid API token is required: Authorization: Bearer pty_... (purposely token create)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


TokenDep = Annotated[Token, Depends(token)]


def authorize(svc: Services, tok: Token, operation: Operation, purpose: str | None) -> None:
    """Refuse (403, and an audit event) unless ``tok`` may do ``operation`` for ``purpose``."""
    if tok.allows(operation, purpose):
        return
    with svc.store.write() as conn:
        audit.append(
            conn,
            audit.AuditEntry(
                caller=tok.caller,
                action=REFUSED,
                purpose=purpose or "-",
                categories=(),
                subjects=0,
                records=0,
                withheld={},
                watermark=watermark(conn),
                details={"operation": operation.value, "token_purposes": list(tok.purposes)},
            ),
        )
    scope = f"{', '.join(o.value for o in tok.operations)} for {', '.join(tok.purposes)}"
    raise HTTPException(
        403,
        f"token {tok.id} may not {operation.value}"
        + (f" for {purpose}" if purpose else "")
        + f": it is scoped to {scope}",
    )


class SignInRequiredError(Exception):
    """Raised when a page needs a signed-in member or officer; answered with a redirect."""

    def __init__(self, role: Role) -> None:
        self.role = role


def _session(svc: Services, request: Request) -> Session | None:
    secret = request.cookies.get(SESSION_COOKIE)
    return session_of(svc.store, secret) if secret else None


def member_session(request: Request, svc: ServicesDep) -> Session:
    """FastAPI dependency: the signed-in member's session, or a redirect to sign-in."""
    session = _session(svc, request)
    if session is None or session.account.role is not Role.MEMBER:
        raise SignInRequiredError(Role.MEMBER)
    return session


def officer_session(request: Request, svc: ServicesDep) -> Session:
    """FastAPI dependency: the signed-in privacy officer's session, or a redirect."""
    session = _session(svc, request)
    if session is None or session.account.role is not Role.OFFICER:
        raise SignInRequiredError(Role.OFFICER)
    return session


MemberDep = Annotated[Session, Depends(member_session)]
OfficerDep = Annotated[Session, Depends(officer_session)]


# --- CSRF: a double-submit token bound to the browser ------------------------------------
#
# The browser holds a random nonce in an HttpOnly, SameSite=Strict cookie; every form carries
# HMAC(server key, nonce). Another site can neither read the cookie nor compute the HMAC, and
# the token needs no server-side state, so it also protects the forms used before sign-in.


def csrf_nonce(request: Request) -> str:
    """The browser's CSRF nonce (a new one if it has none yet; the page sets the cookie)."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce:
        nonce = getattr(request.state, "csrf_nonce", None) or new_secret()
        request.state.csrf_nonce = nonce
    return nonce


def csrf_token(svc: Services, nonce: str) -> str:
    """The form token for ``nonce``."""
    key = hashlib.sha256(b"purposely csrf\0" + svc.store.secret).digest()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def check_csrf(svc: Services, request: Request, submitted: str | None) -> None:
    """Refuse a form post (403) whose token does not match the browser's cookie."""
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or not submitted or not hmac.compare_digest(csrf_token(svc, nonce), submitted):
        raise HTTPException(
            403, "the form expired or came from another site: reload the page and try again"
        )


# --- sign-in rate limit --------------------------------------------------------------------


class SignInLimiter:
    """At most ``attempts`` failed sign-ins per ``window`` seconds per client address and
    per name. Kept in memory: one server process (``purposely serve`` runs one); behind
    several processes, a shared store (Redis) would be needed."""

    def __init__(self, attempts: int = 5, window: float = 900.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` has used up its attempts."""
        now = time.monotonic()
        for key in keys:
            failures = self._failures[key]
            while failures and failures[0] < now - self.window:
                failures.popleft()
            if len(failures) >= self.attempts:
                return True
        return False

    def failed(self, *keys: str) -> None:
        """Count a failed sign-in against each of ``keys``."""
        now = time.monotonic()
        for key in keys:
            self._failures[key].append(now)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of ``keys`` after a successful sign-in."""
        for key in keys:
            self._failures.pop(key, None)
