"""The privacy center: members see and control their own data.

Every page works on the signed-in member's own subject, taken from the session and never from
the URL or a form, so no request can reach another member's data. Their records are read
only through the gate (:meth:`purposely.gate.Gate.disclose`), which logs every disclosure;
their decisions come from the consent ledger, which names them by pseudonym.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel
from starlette.background import BackgroundTask

from purposely.access import Role, Session
from purposely.api import signin
from purposely.api.auth import MemberDep, ServicesDep, check_csrf
from purposely.api.language import language
from purposely.api.pages import render, word_for
from purposely.api.services import Services
from purposely.consent import Decision, state
from purposely.consent.ledger import LedgerEntry
from purposely.notice import body_html, build_notice, layout, purpose_sections, section_html
from purposely.notice import version_of as notice_version_of
from purposely.policy import LegalBasis, PurposeRule
from purposely.rights.erase import erase
from purposely.rights.export import export_zip
from purposely.rights.html import report_fragment
from purposely.rights.report import access_report, label_of
from purposely.store.subjects import find_subject
from purposely.taxonomy import term

router = APIRouter(include_in_schema=False)

EXPORT_NAME = "purposely-export.zip"
CHANNEL = "web"


class DecisionForm(BaseModel):
    """A one-click decision about a purpose: the notice version the page showed, and for an
    explicit consent the data it covers."""

    csrf: str = ""
    notice: str = ""
    categories: list[str] = []


class EraseForm(BaseModel):
    """The erasure form: the member must tick ``confirm``."""

    csrf: str = ""
    confirm: str = ""


# --- signing in and out, invitations -------------------------------------------------------


@router.get("/")
def landing(request: Request, svc: ServicesDep) -> Response:
    """What the privacy center is, and the way in; a signed-in browser goes straight on."""
    session = signin.browser_session(svc, request)
    if session is not None:
        return RedirectResponse(signin.HOME[session.account.role], status_code=303)
    return render(request, svc, "landing.html.j2")


@router.get("/notice")
def public_notice(request: Request, svc: ServicesDep) -> Response:
    """The privacy notice, for anyone: members read it before they have an account."""
    notice = build_notice(svc.policy)
    # The notice renderer escapes every value itself: its HTML goes in as it is.
    body = Markup(body_html(layout(notice, language(request))))
    session = signin.browser_session(svc, request)
    return render(request, svc, "notice.html.j2", session=session, body=body)


@router.get("/signin")
def signin_page(request: Request, svc: ServicesDep, next: str = "") -> Response:
    """The members' sign-in form."""
    return signin.signin_page(request, svc, Role.MEMBER, next)


@router.post("/signin")
def signin_post(request: Request, svc: ServicesDep, form: signin.SignInFields) -> Response:
    """Sign a member in with their id or @handle and password."""
    return signin.signin_submit(request, svc, Role.MEMBER, form)


@router.post("/signout")
def signout(request: Request, svc: ServicesDep, form: signin.CsrfFields) -> Response:
    """Sign out (members and the officer alike)."""
    return signin.sign_out(request, svc, form)


@router.get("/invite/{secret}")
def invite_page(request: Request, svc: ServicesDep, secret: str) -> Response:
    """The form to set a password from a one-time invitation link."""
    return signin.invitation_form(request, svc, secret)


@router.post("/invite/{secret}")
def invite_post(
    request: Request, svc: ServicesDep, secret: str, form: signin.PasswordFields
) -> Response:
    """Set the password, use the invitation up and sign in."""
    return signin.invitation_submit(request, svc, secret, form)


# --- the member's overview and purposes ----------------------------------------------------


@router.get("/me")
def overview(request: Request, svc: ServicesDep, session: MemberDep) -> Response:
    """Every purpose of the policy with the member's standing decision, and their rights."""
    lang = language(request)
    standing = _standing(svc, session)
    purposes = [
        {
            "key": key,
            "label": term(key).label(lang),
            "description": term(key).description(lang),
            "decision": _decision(standing.get(key)),
        }
        for key in svc.policy.purposes
    ]
    return render(request, svc, "me.html.j2", session=session, purposes=purposes)


@router.get("/me/purposes/{purpose}")
def purpose_page(
    request: Request, svc: ServicesDep, session: MemberDep, purpose: str, done: str = ""
) -> Response:
    """The exact notice text for ``purpose``, the member's decision, and the three choices."""
    svc.policy.rule(purpose)  # an unknown purpose is a 404 page
    shown = done if done in {d.value for d in Decision} else ""
    return _purpose_page(request, svc, session, purpose, done=shown)


@router.post("/me/purposes/{purpose}/{decision}")
def decide(
    request: Request,
    svc: ServicesDep,
    session: MemberDep,
    purpose: str,
    decision: str,
    form: Annotated[DecisionForm, Form()],
) -> Response:
    """Record a grant, withdrawal or objection against the notice version the page showed."""
    check_csrf(svc, request, form.csrf)
    rule = svc.policy.rule(purpose)
    chosen = _known_decision(request, decision)
    if form.notice != notice_version_of(build_notice(svc.policy)):
        # The member decided on words that are no longer the notice: show them the new ones.
        problem = word_for(request, "notice_changed")
        return _purpose_page(request, svc, session, purpose, problem=problem, status_code=409)
    categories = None
    if chosen is Decision.GRANT and _explicit(rule):
        if set(form.categories) != set(rule.categories):
            problem = word_for(request, "explicit_incomplete")
            return _purpose_page(request, svc, session, purpose, problem=problem, status_code=400)
        categories = tuple(rule.categories)
    _record(svc, session, purpose, chosen, form.notice, categories)
    return RedirectResponse(f"/me/purposes/{purpose}?done={chosen.value}", status_code=303)


def _purpose_page(
    request: Request,
    svc: Services,
    session: Session,
    purpose: str,
    *,
    done: str = "",
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    rule, lang = svc.policy.rule(purpose), language(request)
    notice = build_notice(svc.policy)
    sections = purpose_sections(notice, purpose, lang)
    standing = _standing(svc, session).get(purpose)
    version = notice_version_of(notice)
    return render(
        request,
        svc,
        "purpose.html.j2",
        session=session,
        status_code=status_code,
        purpose=purpose,
        label=term(purpose).label(lang),
        # The notice renderer escapes every value itself: its HTML goes in as it is.
        notice=Markup("\n".join(section_html(s) for s in sections)),
        version=version,
        decision=_decision(standing),
        outdated=standing is not None and standing.notice_version != version,
        explicit=_explicit(rule),
        categories=[_category(c, lang) for c in rule.categories] if _explicit(rule) else [],
        done=done,
        problem=problem,
    )


def _explicit(rule: PurposeRule) -> bool:
    """Whether a grant must name the data it covers (explicit consent somewhere)."""
    return LegalBasis.EXPLICIT_CONSENT in rule.legal_basis.values()


def _known_decision(request: Request, value: str) -> Decision:
    try:
        return Decision(value)
    except ValueError:
        raise HTTPException(404, word_for(request, "not_found")) from None


def _record(
    svc: Services,
    session: Session,
    purpose: str,
    decision: Decision,
    version: str,
    categories: tuple[str, ...] | None,
) -> None:
    """Append the decision to the ledger, then mark snapshots holding the member's samples
    that the gate would no longer release (as ``purposely consent`` does)."""
    from purposely.rights.decisions import record_decision  # pulls in pyarrow: only then

    record_decision(
        svc.store,
        svc.policy,
        _subject_id(session),
        purpose,
        decision,
        notice_version=version,
        channel=CHANNEL,
        categories=categories,
    )


# --- the member's rights: access report, export, erasure -----------------------------------


@router.get("/me/report")
def report_page(request: Request, svc: ServicesDep, session: MemberDep) -> Response:
    """The access report (GDPR Art. 15): everything stored about the member, through the gate."""
    report = access_report(svc.gate, _subject_id(session), caller=session.account.caller)
    body = report_fragment(report, lang=language(request), controller=svc.policy.controller.name)
    # The report's own template escapes every value: its HTML goes in as it is.
    return render(request, svc, "report.html.j2", session=session, body=Markup(body))


@router.get("/me/export")
def export_page(request: Request, svc: ServicesDep, session: MemberDep) -> Response:
    """What the export holds, and the button that downloads it."""
    return render(request, svc, "export.html.j2", session=session)


@router.post("/me/export")
def export(
    request: Request, svc: ServicesDep, session: MemberDep, form: signin.CsrfFields
) -> Response:
    """The member's data as a ZIP of JSON files (GDPR Art. 20), written aside and streamed."""
    check_csrf(svc, request, form.csrf)
    folder = Path(tempfile.mkdtemp(prefix="purposely-export-"))
    try:
        export_zip(
            svc.gate,
            _subject_id(session),
            folder / EXPORT_NAME,
            caller=session.account.caller,
            controller=svc.policy.controller.name,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        folder / EXPORT_NAME,
        media_type="application/zip",
        filename=EXPORT_NAME,
        headers={"Cache-Control": "no-store"},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get("/me/erase")
def erase_page(request: Request, svc: ServicesDep, session: MemberDep) -> Response:
    """What erasure removes and what it keeps, and the form that confirms it."""
    return render(request, svc, "erase.html.j2", session=session, problem=None)


@router.post("/me/erase")
def erase_post(
    request: Request, svc: ServicesDep, session: MemberDep, form: Annotated[EraseForm, Form()]
) -> Response:
    """Erase the member (GDPR Art. 17) once they ticked the box; their account goes with it."""
    check_csrf(svc, request, form.csrf)
    if form.confirm != "yes":
        problem = word_for(request, "erase_unconfirmed")
        return render(
            request, svc, "erase.html.j2", session=session, status_code=400, problem=problem
        )
    done = erase(svc.store, [_subject_id(session)], caller=session.account.caller)
    lang = language(request)
    page = render(
        request,
        svc,
        "erased.html.j2",
        records=[(label_of(c, lang), n) for c, n in done.records.items()],
        total=done.record_count,
        snapshots=len(done.snapshots),
        models=len(done.models),
    )
    # The subject's account and sessions went with it (foreign keys cascade); the browser is
    # told to forget the cookie as well, and not to keep this page.
    signin.forget_cookie(page, svc)
    page.headers["Cache-Control"] = "no-store"
    return page


# --- helpers -------------------------------------------------------------------------------


def _subject_id(session: Session) -> str:
    """The member's own subject id: the only subject a member's request ever names."""
    if session.account.subject_id is None:  # a member account always has a subject
        raise HTTPException(403, "this account is not a member's")
    return session.account.subject_id


def _standing(svc: Services, session: Session) -> dict[str, LedgerEntry]:
    """The member's standing decision per purpose, from the ledger (by their pseudonym)."""
    with svc.store.read() as conn:
        return state(conn, find_subject(conn, _subject_id(session)).pseudonym)


def _decision(entry: LedgerEntry | None) -> dict[str, Any] | None:
    """A standing decision as the pages show it."""
    if entry is None:
        return None
    return {
        "decision": entry.decision.value,
        "when": entry.at.strftime("%Y-%m-%d"),
        "notice": entry.notice_version,
        "channel": entry.channel,
    }


def _category(key: str, lang: Any) -> dict[str, str]:
    found = term(key)
    return {"key": key, "label": found.label(lang), "description": found.description(lang)}
