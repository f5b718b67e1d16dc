"""``purposely jobs``: job listings, recommendations for members, candidates for employers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from purposely.cli.common import (
    DbOption,
    JsonOption,
    PolicyOption,
    caller,
    emit,
    new_app,
    open_store,
    policy_from,
    stdout,
)
from purposely.errors import PurposelyError

if TYPE_CHECKING:
    from purposely.jobs.listings import Listing
    from purposely.jobs.matching import Match

# The jobs package loads the ESCO vocabulary and numpy: imported by the commands that need
# it, so the rest of the CLI starts quickly.

app = new_app(
    "Job listings, recommendations for members and candidate search for employers.\n\n"
    "Only members who opted in take part: [bold]personalize.job_recommendations[/] for "
    "recommendations, [bold]employment.recruitment[/] for candidate search (never minors). "
    "Matching uses titles, skills, places and remote work; never age, gender, nationality "
    "or birth date."
)

LangOption = Annotated[
    str, typer.Option("--lang", help="Language of occupation and skill names: en or de.")
]


def _lang(lang: str) -> str:
    if lang not in ("en", "de"):
        raise PurposelyError(f"--lang must be en or de, not {lang!r}")
    return lang


@app.command("list")
def list_command(
    include_closed: Annotated[
        bool, typer.Option("--all", help="Closed listings too (open ones only by default).")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the job listings, newest first: open ones, or with --all every one."""
    from purposely.jobs.listings import list_listings

    listings = list_listings(open_store(db), include_closed=include_closed)

    def render() -> None:
        if not listings:
            stdout.print(
                "no job listings yet: import `job` lines with `purposely ingest jsonl FILE`"
                if include_closed
                else "no open job listings (--all shows closed ones too)"
            )
            return
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        for column in ("job", "title", "employer", "location", "skills", "posted (UTC)"):
            table.add_column(column, no_wrap=column in ("job", "posted (UTC)"))
        if include_closed:
            table.add_column("closed (UTC)", no_wrap=True)
        for job in listings:
            row = [
                escape(job.id),
                escape(job.title),
                escape(job.employer),
                escape(job.location or "-"),
                escape(", ".join(job.skills) or "-"),
                _when(job.posted_at),
            ]
            if include_closed:
                row.append(_when(job.closed_at) if job.closed_at else "open")
            table.add_row(*row)
        stdout.print(table)

    emit(as_json, [listing_dict(job) for job in listings], render)


@app.command("close")
def close_command(
    job_id: Annotated[str, typer.Argument(help="Id of the listing to close.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close a listing: it leaves recommendations and candidate search.

    Closing is final: a closed listing sent again by an import stays closed.
    """
    from purposely.jobs.listings import close_listing

    job = close_listing(open_store(db), job_id)
    emit(
        as_json,
        listing_dict(job),
        lambda: stdout.print(
            f"closed job [bold]{escape(job.id)}[/] ({escape(job.title)}, "
            f"{escape(job.employer)}) at {_when(job.closed_at)} UTC"
        ),
    )


@app.command("recommend")
def recommend_command(
    subject: Annotated[str, typer.Argument(help="The member: id or @handle.")],
    k: Annotated[int, typer.Option("-k", help="How many listings at most.", min=1)] = 10,
    lang: LangOption = "en",
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recommend open listings to a member who opted in to job recommendations.

    The member's profile is what the gate releases for personalize.job_recommendations
    (logged as one question naming them). Each listing comes with its reasons: matched
    occupations, skills, place, remote. A member who has not opted in, withdrew or objected
    is refused (exit code 2).
    """
    from purposely.gate import Gate
    from purposely.jobs.search import RECOMMEND, recommend

    lang = _lang(lang)
    found = recommend(Gate(open_store(db), policy_from(policy)), subject, k, caller=caller())
    who = f"@{found.subject.handle}" if found.subject.handle else found.subject.id
    data = {
        "subject": found.subject.id,
        "purpose": RECOMMEND,
        "audit_event": found.audit_seq,
        "recommendations": [
            {
                "rank": item.rank,
                "job": item.listing.id,
                "title": item.listing.title,
                "employer": item.listing.employer,
                "location": item.listing.location,
                **match_dict(item.match, item.listing),
            }
            for item in found.items
        ],
    }

    def render() -> None:
        if not found.has_profile:
            stdout.print(
                f"{escape(who)} has no career profile the gate releases for job "
                "recommendations (employment, skills, education, job preferences): "
                "nothing to match"
            )
            return
        if not found.items:
            stdout.print(f"no open listing matches the career profile of {escape(who)}")
            return
        table = Table(
            title=f"job recommendations for {escape(who)}", box=box.SIMPLE_HEAD, pad_edge=False
        )
        for column in ("#", "job", "title", "employer", "location", "score", "why"):
            table.add_column(column, no_wrap=column in ("#", "job", "score"))
        for item in found.items:
            job = item.listing
            table.add_row(
                str(item.rank),
                escape(job.id),
                escape(job.title),
                escape(job.employer),
                escape(job.location or "-"),
                f"{item.match.score:.2f}",
                escape(why(item.match, job, lang)),
            )
        stdout.print(table)

    emit(as_json, data, render)


@app.command("candidates")
def candidates_command(
    job_id: Annotated[str, typer.Argument(help="Id of the employer's open listing.")],
    employer: Annotated[
        str, typer.Option("--employer", help="The employer searching: the listing's employer.")
    ],
    k: Annotated[int, typer.Option("-k", help="How many candidates at most.", min=1)] = 20,
    lang: LangOption = "en",
    db: DbOption = None,
    policy: PolicyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find the members who fit an employer's open listing best.

    Only members who opted in to employment.recruitment are searched, never minors. The
    employer sees each candidate by a pseudonym of its own (stable across its searches,
    different for every employer) with the reasons; --json adds the member's subject id, for
    the platform's own use. Every search is logged as an audit event naming the employer,
    and each candidate's access report lists it.
    """
    from purposely.gate import Gate
    from purposely.jobs.search import RECRUIT, candidates

    lang = _lang(lang)
    found = candidates(Gate(open_store(db), policy_from(policy)), job_id, employer, k)
    job = found.listing
    data = {
        "job": job.id,
        "title": job.title,
        "employer": found.employer,
        "purpose": RECRUIT,
        "watermark": found.watermark,
        "audit_event": found.audit_seq,
        "candidates": [
            {
                "rank": c.rank,
                "candidate": c.pseudonym,
                "subject": c.subject_id,
                "open_to_work": c.open_to_work,
                **match_dict(c.match, job),
            }
            for c in found.candidates
        ],
    }

    def render() -> None:
        if not found.candidates:
            stdout.print(
                f"no candidates for job {escape(job.id)} ({escape(job.title)}) among the "
                f"members who opted in to recruitment (audit event {found.audit_seq})"
            )
            return
        table = Table(
            title=f"candidates for job {escape(job.id)}: {escape(job.title)}, "
            f"{escape(found.employer)}",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for column in ("#", "candidate", "score", "open to work", "why"):
            table.add_column(column, no_wrap=column != "why")
        for c in found.candidates:
            table.add_row(
                str(c.rank),
                c.pseudonym,
                f"{c.match.score:.2f}",
                "yes" if c.open_to_work else "-",
                escape(why(c.match, job, lang)),
            )
        stdout.print(table)
        stdout.print(
            f"logged as audit event {found.audit_seq}: each candidate's access report lists "
            f"{escape(found.employer)}"
        )

    emit(as_json, data, render)


def listing_dict(job: Listing) -> dict[str, Any]:
    """A listing as plain data for ``--json``."""
    return {
        "id": job.id,
        "employer": job.employer,
        "title": job.title,
        "location": job.location,
        "skills": list(job.skills),
        "description": job.description,
        "posted_at": job.posted_at,
        "closed_at": job.closed_at,
        "open": job.is_open,
    }


def match_dict(match: Match, job: Listing) -> dict[str, Any]:
    """A match's score, its parts and its reasons as plain data, both languages."""
    from purposely.jobs.skills import skill_label

    reasons = match.reasons
    return {
        "score": round(match.score, 6),
        "parts": {
            "title": round(match.title, 6),
            "skills": round(match.skills, 6),
            "place": round(match.place, 6),
        },
        "reasons": {
            "occupations": [
                {"concept": c.concept, "label_en": c.label_en, "label_de": c.label_de}
                for c in reasons.concepts
            ],
            "skills": [
                {"key": s, "label_en": skill_label(s, "en"), "label_de": skill_label(s, "de")}
                for s in reasons.skills
            ],
            "location": job.location if reasons.place is not None else None,
            "remote": reasons.remote,
        },
    }


def why(match: Match, job: Listing, lang: str = "en") -> str:
    """The reasons of a match in one line: occupations, skills, place, remote."""
    from purposely.jobs.skills import skill_label

    reasons = match.reasons
    parts = []
    if reasons.concepts:
        parts.append("occupation: " + ", ".join(c.label(lang) for c in reasons.concepts))
    if reasons.skills:
        parts.append("skills: " + ", ".join(skill_label(s, lang) for s in reasons.skills))
    if reasons.place is not None:
        parts.append(f"place: {job.location}")
    if reasons.remote:
        parts.append("remote")
    return "; ".join(parts)


def _when(at: Any) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else "-"
