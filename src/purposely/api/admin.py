"""The admin view for the privacy officer (``/admin``): the data map, the policy, snapshots
and models that went stale, the audit log with its chain check, and the notice.

It shows how personal data is governed, never the data itself: no page here reads a
member's records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from purposely import audit
from purposely.access import Role
from purposely.api import signin
from purposely.api.auth import OfficerDep, ServicesDep
from purposely.api.language import language
from purposely.api.pages import render
from purposely.api.services import Services
from purposely.api.words import reason_words
from purposely.consent.ledger import LEDGER
from purposely.notice import body_html, build_notice, layout, ropa_rows, version_of
from purposely.notice.datamap import record_categories, subject_fields
from purposely.policy.loader import DEFAULT_POLICY_NAME, default_policy_text, parse_policy
from purposely.rights.report import label_of
from purposely.taxonomy import Lang, term

router = APIRouter(prefix="/admin", include_in_schema=False)

AUDIT_EVENTS_SHOWN = 50


@router.get("/signin")
def signin_page(request: Request, svc: ServicesDep, next: str = "") -> Response:
    """The privacy officer's sign-in form."""
    return signin.signin_page(request, svc, Role.OFFICER, next)


@router.post("/signin")
def signin_post(request: Request, svc: ServicesDep, form: signin.SignInFields) -> Response:
    """Sign the privacy officer in with their sign-in name and password."""
    return signin.signin_submit(request, svc, Role.OFFICER, form)


@router.get("")
def home(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """The admin view's pages, each with what it answers."""
    return render(request, svc, "admin/home.html.j2", session=session)


@router.get("/datamap")
def datamap(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """Which stored field holds which category, and which purpose may use which category on
    which legal basis (the records of processing, GDPR Art. 30)."""
    lang = language(request)
    notice = build_notice(svc.policy)
    fields = [
        {"column": f"{f.table}.{f.column}", "categories": [_term(c, lang) for c in f.categories]}
        for f in subject_fields()
    ]
    categories = [
        {**_term(c, lang), "purposes": [_term(p, lang) for p in _purposes_using(svc, c)]}
        for c in record_categories()
    ]
    return render(
        request,
        svc,
        "admin/datamap.html.j2",
        session=session,
        fields=fields,
        categories=categories,
        processing=ropa_rows(notice, lang),
        version=version_of(notice),
    )


@router.get("/policy")
def policy(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """The policy the server enforces: its file, as written, and its digest."""
    path, text = _policy_source(svc)
    on_disk = parse_policy(text, str(path or DEFAULT_POLICY_NAME))[0] if text else None
    return render(
        request,
        svc,
        "admin/policy.html.j2",
        session=session,
        policy_file=str(path) if path else None,
        text=text,
        digest=svc.policy.digest,
        # The file may have been edited since the server loaded it; the server enforces what
        # it loaded until it restarts, and the officer should know which that is.
        changed=on_disk is None or on_disk.digest != svc.policy.digest,
    )


@router.get("/snapshots")
def snapshots(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """Every dataset snapshot, whether the gate would still release all of it, and why not."""
    from purposely.datasets import lineage, registry  # pulls in pyarrow: only when asked
    from purposely.datasets.staleness import refresh

    refresh(svc.store, svc.policy)
    lang = language(request)
    with svc.store.read() as conn:
        found = lineage.all_snapshots(conn)
        models = {s.id: registry.trained_on(conn, [s.id]) for s in found}
    rows = [
        {
            "id": s.id,
            "created": s.created_at.strftime("%Y-%m-%d %H:%M"),
            "purpose": _term(s.purpose, lang),
            "samples": s.counts.get("included", 0),
            "stale": _reasons(s.stale, lang),
            "models": models[s.id],
            "parent": s.parent_id,
        }
        for s in found
    ]
    return render(request, svc, "admin/snapshots.html.j2", session=session, snapshots=rows)


@router.get("/models")
def models(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """Registered models, and which need retraining because a snapshot they were trained on
    went stale."""
    from purposely.datasets import registry  # pulls in pyarrow: only when asked
    from purposely.datasets.staleness import refresh

    refresh(svc.store, svc.policy)
    lang = language(request)
    with svc.store.read() as conn:
        found = registry.all_models(conn)
    rows = [
        {
            "name": m.name,
            "registered": m.registered_at.strftime("%Y-%m-%d"),
            "by": m.registered_by,
            "note": m.note,
            "snapshots": [s.id for s in m.snapshots],
            "stale": _reasons(_summed(m.stale.values()), lang),
        }
        for m in found
    ]
    return render(request, svc, "admin/models.html.j2", session=session, models=rows)


@router.get("/audit")
def audit_log(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """The latest audit events, and whether the ledger and the log still verify."""
    lang = language(request)
    with svc.store.read() as conn:
        result = audit.verify(conn)
        events = audit.recent(conn, AUDIT_EVENTS_SHOWN)
    rows = [
        {
            **event,
            "at": event["at"].strftime("%Y-%m-%d %H:%M:%S"),
            "purpose": _term(event["purpose"], lang) if event["purpose"] != "-" else None,
            "withheld": sum(event["withheld"].values()),
        }
        for event in events
    ]
    return render(
        request,
        svc,
        "admin/audit.html.j2",
        session=session,
        result=result,
        problems=[
            {"ledger": p.chain == LEDGER.name, "seq": p.seq, "reason": p.reason}
            for p in result.problems
        ],
        events=rows,
    )


@router.get("/notice")
def notice(request: Request, svc: ServicesDep, session: OfficerDep) -> Response:
    """The privacy notice members read, in the page's language, with its version."""
    structured = build_notice(svc.policy)
    # The notice renderer escapes every value itself: its HTML goes in as it is.
    body = Markup(body_html(layout(structured, language(request))))
    version = version_of(structured)
    return render(request, svc, "admin/notice.html.j2", session=session, body=body, version=version)


# --- helpers -------------------------------------------------------------------------------


def _term(key: str, lang: Lang) -> dict[str, str]:
    """A taxonomy key with its label and description (officers see both words and keys)."""
    return {"key": key, "label": label_of(key, lang), "description": _description(key, lang)}


def _description(key: str, lang: Lang) -> str:
    try:
        return term(key).description(lang)
    except KeyError:
        return ""


def _purposes_using(svc: Services, category: str) -> list[str]:
    return [key for key, rule in svc.policy.purposes.items() if rule.uses(category)]


def _reasons(counts: dict[str, int], lang: Lang) -> list[tuple[str, int]]:
    """Stale samples by reason, in words, most first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(reason_words(reason, lang), n) for reason, n in ordered]


def _summed(per_snapshot: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for counts in per_snapshot:
        for reason, n in counts.items():
            total[reason] = total.get(reason, 0) + n
    return total


def _policy_source(svc: Services) -> tuple[Path | None, str | None]:
    """The policy file (None: the one shipped with purposely) and its text (None if it can no
    longer be read)."""
    path = svc.settings.policy
    if path is None:
        return None, default_policy_text()
    try:
        return path, path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return path, None
