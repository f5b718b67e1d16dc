"""The access report as a page a member can read: plain words, labels instead of keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from purposely.rights.report import Report, label_of
from purposely.rights.words import Lang, word
from purposely.taxonomy import TERMS

_ENV = Environment(
    loader=PackageLoader("purposely.rights", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def report_html(report: Report, *, lang: Lang = "en", controller: str = "") -> str:
    """The report as one self-contained HTML page in ``lang``."""
    return _ENV.get_template("report.html.j2").render(_context(report, lang, controller))


def report_fragment(report: Report, *, lang: Lang = "en", controller: str = "") -> str:
    """The report's content (from its title on) as an HTML fragment, for a page of its own
    to embed, such as the privacy center's; the same words as :func:`report_html`."""
    return _ENV.get_template("report_body.html.j2").render(_context(report, lang, controller))


def _context(report: Report, lang: Lang, controller: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "controller": controller,
        "w": lambda key, **values: word(key, lang, **values),
        "generated": _day(report.generated_at),
        "records": f"{report.record_count:,}",
        "kinds": len(report.categories),
        "profile": [f for f in report.profile if f.name != "born_no_later_than"],
        "categories": [_category(c, lang) for c in report.categories],
        "consents": [
            {
                "when": _day(e.at),
                "purpose": label_of(e.purpose, lang),
                "decision": e.decision.value,
                "notice": e.notice_version,
            }
            for e in report.consents
        ],
        "snapshots": [
            {
                "purpose": label_of(h.purpose, lang),
                "when": _day(h.created_at),
                "samples": h.samples,
                "models": ", ".join(h.models),
                "stale": ", ".join(
                    f"{n} {word('decision.' + _decision(r), lang)}" for r, n in h.stale.items()
                ),
            }
            for h in report.snapshots
        ],
        "events": [
            {
                "when": _day(e.at),
                "caller": who(e.caller, lang),
                "action": e.action,
                "purpose": label_of(e.purpose, lang) if e.purpose != "-" else "",
            }
            for e in report.events
        ],
        "recipients": [{**r, "purpose": label_of(r["purpose"], lang)} for r in report.recipients],
    }


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else "—"


def _decision(reason: str) -> str:
    """A stale reason in the words of the member's decisions where one fits."""
    return {"withdrawn": "withdraw", "objected": "object"}.get(reason, "none")


def _category(section: Any, lang: Lang) -> dict[str, Any]:
    term = TERMS.get(section.category)
    return {
        "label": label_of(section.category, lang),
        "description": term.description(lang) if term else section.category,
        "count": len(section.items),
        "uses": [
            {
                "label": label_of(u.purpose, lang),
                "basis": u.basis.value,
                "decision": u.decision.value if u.decision else "none",
            }
            for u in section.uses
        ],
        "entries": [
            {"when": _day(item.created_at or item.updated_at), "text": _summary(item)}
            for item in section.items
        ],
    }


def _summary(item: Any) -> str:
    if item.text:
        return str(item.text)
    data = item.data or {}
    return "; ".join(
        f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
        for key, value in data.items()
        if value not in (None, "", [])
    )


def who(caller: str, lang: Lang) -> str:
    """An audit event's caller in plain words: the member themself in the privacy center,
    a named service with an API token, the officer, or staff on the command line."""
    kind, _, rest = caller.partition(":")
    if kind == "web":
        role = rest.partition(":")[0]
        return word("who.you" if role == "member" else "who.officer", lang)
    if kind == "token":
        return word("who.service", lang, name=rest.partition(":")[2] or rest)
    if kind == "cli":
        return word("who.staff", lang, name=rest)
    return caller
