"""Signing in and out, and setting a password from a one-time invitation link: the same
rules for members (``/signin``) and the privacy officer (``/admin/signin``).

A failed sign-in says only that the name and password do not match, whether or not the name
exists; failures are counted per client address and per name, and once either has used up
its attempts the form answers 429 without checking the password at all.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from purposely.access import Account, Role, Session, end_session, open_session, session_of
from purposely.access.accounts import MIN_PASSWORD, accept_invitation, invitation_account
from purposely.access.accounts import sign_in as check_password
from purposely.access.sessions import SESSION_LIFETIME
from purposely.api.auth import SESSION_COOKIE, SignInLimiter, check_csrf
from purposely.api.pages import render, word_for
from purposely.api.services import Services
from purposely.errors import PurposelyError


class SignInForm(BaseModel):
    """The sign-in form. Every field may be missing, so that a post without its CSRF token
    is refused with 403 by :func:`check_csrf` rather than with a 422 about a field."""

    name: str = ""
    password: str = ""
    csrf: str = ""
    next: str = ""


class PasswordForm(BaseModel):
    """The form that sets a password from an invitation: the password twice."""

    password: str = ""
    password2: str = ""
    csrf: str = ""


class CsrfForm(BaseModel):
    """A form that carries nothing but its CSRF token (sign out, export)."""

    csrf: str = ""


SignInFields = Annotated[SignInForm, Form()]
PasswordFields = Annotated[PasswordForm, Form()]
CsrfFields = Annotated[CsrfForm, Form()]

HOME = {Role.MEMBER: "/me", Role.OFFICER: "/admin"}
SIGN_IN = {Role.MEMBER: "/signin", Role.OFFICER: "/admin/signin"}


def browser_session(svc: Services, request: Request) -> Session | None:
    """The live session of the request's cookie, of either role, or None."""
    secret = request.cookies.get(SESSION_COOKIE)
    return session_of(svc.store, secret) if secret else None


def local_next(target: str, role: Role) -> str | None:
    """``target`` if it is a page of ``role``'s own area on this site, else None: after
    signing in, nobody is sent to another site (or to the other role's pages)."""
    home = HOME[role]
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not target.isprintable():
        return None
    if parts.path == home or parts.path.startswith(home + "/"):
        return target
    return None


def signin_form(
    request: Request,
    svc: Services,
    role: Role,
    *,
    target: str = "",
    status_code: int = 200,
    problem: str | None = None,
) -> HTMLResponse:
    """The sign-in page of ``role``, with ``problem`` shown above the form."""
    other = browser_session(svc, request)
    return render(
        request,
        svc,
        "signin.html.j2",
        status_code=status_code,
        role=role.value,
        action=SIGN_IN[role],
        target=local_next(target, role) or "",
        problem=problem,
        other_role=other.account.role.value if other and other.account.role is not role else None,
    )


def signin_page(request: Request, svc: Services, role: Role, target: str) -> Response:
    """The sign-in form of ``role``; a browser already signed in as ``role`` goes home."""
    session = browser_session(svc, request)
    if session is not None and session.account.role is role:
        return RedirectResponse(HOME[role], status_code=303)
    return signin_form(request, svc, role, target=target)


def signin_submit(request: Request, svc: Services, role: Role, form: SignInForm) -> Response:
    """Check a sign-in form; open a session and go on, or say no (401), or say wait (429)."""
    check_csrf(svc, request, form.csrf)
    name, password, target = form.name, form.password, form.next
    limiter: SignInLimiter = request.app.state.sign_in_limiter
    address = f"address:{request.client.host if request.client else '-'}"
    # Ids and @handles name the same members, in any case: one count per person.
    who = f"name:{role.value}:{name.strip().removeprefix('@').casefold()}"
    if limiter.blocked(address, who):
        minutes = round(limiter.window / 60)
        problem = word_for(request, "signin_blocked", minutes=minutes)
        page = signin_form(request, svc, role, target=target, status_code=429, problem=problem)
        page.headers["Retry-After"] = str(round(limiter.window))
        return page
    account = check_password(svc.store, role, name.strip(), password)
    if account is None:
        limiter.failed(address, who)
        problem = word_for(request, "signin_failed")
        return signin_form(request, svc, role, target=target, status_code=401, problem=problem)
    # Only the name's count is forgiven: one's own good password must not reset the count of
    # an address that is guessing other members' passwords.
    limiter.succeeded(who)
    return start_session(request, svc, account, local_next(target, role) or HOME[role])


def start_session(request: Request, svc: Services, account: Account, to: str) -> Response:
    """Open a session for ``account`` (ending the browser's earlier one) and go to ``to``."""
    earlier = request.cookies.get(SESSION_COOKIE)
    if earlier:
        end_session(svc.store, earlier)
    session = open_session(svc.store, account)
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session.secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=svc.settings.secure_cookies,
    )
    return response


def forget_cookie(response: Response, svc: Services) -> None:
    """Tell the browser to drop its session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=svc.settings.secure_cookies
    )


def sign_out(request: Request, svc: Services, form: CsrfForm) -> Response:
    """End the browser's session (a form post, so another site cannot sign anyone out)."""
    check_csrf(svc, request, form.csrf)
    session = browser_session(svc, request)
    if session is not None:
        end_session(svc.store, session.secret)
    # Nobody was signed in (or the session had expired): the sign-in page is where they
    # were going anyway.
    response = RedirectResponse("/" if session else SIGN_IN[Role.MEMBER], status_code=303)
    forget_cookie(response, svc)
    return response


def invitation_form(
    request: Request,
    svc: Services,
    secret: str,
    *,
    status_code: int = 200,
    problem: str | None = None,
) -> HTMLResponse:
    """The form to set a password from an invitation link; 404 if the link is no good."""
    account = invitation_account(svc.store, secret)
    if account is None:
        return _invitation_gone(request, svc)
    return render(
        request,
        svc,
        "invite.html.j2",
        status_code=status_code,
        role=account.role.value,
        name=account.subject_id or account.login or "",
        minimum=MIN_PASSWORD,
        problem=problem,
    )


def invitation_submit(request: Request, svc: Services, secret: str, form: PasswordForm) -> Response:
    """Set the password of an invitation's account and sign its owner in."""
    check_csrf(svc, request, form.csrf)
    password, password2 = form.password, form.password2
    account = invitation_account(svc.store, secret)
    if account is None:
        return _invitation_gone(request, svc)
    problem = None
    if password != password2:
        problem = word_for(request, "invite_mismatch")
    elif len(password) < MIN_PASSWORD:
        problem = word_for(request, "invite_too_short", minimum=MIN_PASSWORD)
    if problem is not None:
        return invitation_form(request, svc, secret, status_code=400, problem=problem)
    try:
        accepted = accept_invitation(svc.store, secret, password)
    except PurposelyError:  # used up by a concurrent request a moment ago
        return _invitation_gone(request, svc)
    return start_session(request, svc, accepted, HOME[accepted.role])


def _invitation_gone(request: Request, svc: Services) -> HTMLResponse:
    message = word_for(request, "invite_gone")
    return render(request, svc, "error.html.j2", status_code=404, message=message, back="/")
