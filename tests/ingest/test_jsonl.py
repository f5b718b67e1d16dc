"""The JSONL importer: every record type, idempotence, replacement, and bad input."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from purposely.consent.ledger import watermark
from purposely.errors import InputError
from purposely.ingest.jsonl import ingest_events, ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ConsentEvent, Job, Record, Subject
from tests.factories import T0, consent, employment, message, post, skill, subject, write_jsonl


def load(store: Store, policy: Policy, lines: list[Any], name: str = "in.jsonl") -> Any:
    """Import ``lines`` and return the report."""
    return ingest_jsonl(store, policy, write_jsonl(Path(name), lines))


def rows(store: Store) -> dict[str, tuple[str, str, str | None]]:
    """Every record as source_id -> (kind, category, text)."""
    with store.read() as conn:
        result = conn.execute(select(Record.source_id, Record.kind, Record.category, Record.text))
        return {sid: (kind, cat, text) for sid, kind, cat, text in result}


def counts(store: Store) -> tuple[int, int, int, int]:
    """Subjects, records, jobs, ledger entries."""
    with store.read() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Subject)) or 0,
            conn.scalar(select(func.count()).select_from(Record)) or 0,
            conn.scalar(select(func.count()).select_from(Job)) or 0,
            watermark(conn),
        )


EVERYTHING: list[dict[str, Any]] = [
    subject("u1", handle="@alice"),
    subject("u2", country="US", birth_date="1985-07"),
    post("p1", "u1"),
    post("p2", "u1", visibility="private"),
    message("m1", "u1", ["u2"]),
    employment("u1"),
    {
        "type": "education",
        "subject": "u1",
        "school": "TU Berlin",
        "degree": "MSc",
        "field": "Computer Science",
        "start": "2012",
        "end": "2014",
    },
    skill("u1", "Python"),
    {
        "type": "job_preferences",
        "subject": "u1",
        "titles": ["Data Engineer"],
        "locations": ["Berlin"],
        "remote": True,
        "open_to_work": True,
    },
    {
        "type": "job",
        "id": "j1",
        "employer": "ACME",
        "title": "Data Engineer",
        "description": "Pipelines",
        "location": "Berlin",
        "skills": ["Python"],
        "posted_at": T0,
    },
    consent("u1", "train_ai_system"),
    {"type": "delete", "id": "nothing-here", "at": T0},
]


def test_every_record_type_lands_under_its_category(store: Store, policy: Policy) -> None:
    report = load(store, policy, EVERYTHING)
    assert report.subjects == 2 and report.jobs == 1 and report.consents_recorded == 1
    assert dict(report.stored) == {
        "user.content.public": 1,
        "user.content.private": 1,
        "user.content.private.message": 1,
        "user.employment_history": 1,
        "user.education": 1,
        "user.skills": 1,
        "user.job_preferences": 1,
    }
    assert dict(report.skipped) == {"delete: no post or message with that id": 1}
    stored = rows(store)
    assert stored["p1"] == ("post", "user.content.public", "Guten Morgen")
    assert stored["m1"][:2] == ("message", "user.content.private.message")
    columns = (
        Subject.id,
        Subject.handle,
        Subject.country,
        Subject.birth_date,
        Subject.born_no_later_than,
    )
    with store.read() as conn:
        people = {row.id: row for row in conn.execute(select(*columns))}
    assert (people["u1"].handle, people["u1"].country, people["u1"].birth_date) == (
        "alice",
        "DE",
        "1990-04-01",
    )
    assert str(people["u2"].born_no_later_than) == "1985-07-31"  # a month means its last day


def test_importing_twice_changes_nothing(store: Store, policy: Policy) -> None:
    load(store, policy, EVERYTHING)
    first = (counts(store), rows(store))
    again = load(store, policy, EVERYTHING)
    assert (counts(store), rows(store)) == first
    assert again.consents_recorded == 0 and again.consents_already_held == 1


def test_same_id_replaces_and_delete_removes(store: Store, policy: Policy) -> None:
    load(store, policy, [subject("u1"), post("p1", "u1", text="first"), post("p2", "u1")])
    load(
        store,
        policy,
        [
            post("p1", "u1", text="edited", visibility="private"),
            {"type": "delete", "id": "p2", "at": T0},
        ],
    )
    assert rows(store) == {"p1": ("post", "user.content.private", "edited")}


def test_delete_applies_only_to_what_came_before_it_in_the_file(
    store: Store, policy: Policy
) -> None:
    load(
        store,
        policy,
        [
            subject("u1"),
            post("p1", "u1"),
            {"type": "delete", "id": "p1"},
            post("p1", "u1", text="posted again"),
        ],
    )
    assert rows(store)["p1"][2] == "posted again"


def test_profile_records_without_ids_are_stable_and_distinct(store: Store, policy: Policy) -> None:
    lines = [
        subject("u1"),
        skill("u1", "Python"),
        skill("u1", "python"),
        skill("u1", "SQL"),
        employment("u1"),
        employment("u1", title="CTO"),
    ]
    load(store, policy, lines)
    load(store, policy, lines)
    kinds = sorted(kind for kind, _c, _t in rows(store).values())
    assert kinds == ["employment", "employment", "skill", "skill"]


BAD_LINES = [
    ('{"type":"post","id":"p1"', "not valid JSON"),
    ('{"type":"tweet","id":"p1"}', "unknown record type 'tweet'"),
    ('{"id":"p1"}', "missing field 'type'"),
    ("[1, 2]", "expected a JSON object"),
    (
        '{"type":"post","id":"p1","subject":"u1","visibility":"public","created_at":"2024-01-01T00:00:00Z"}',
        "post: missing required field 'text'",
    ),
    (
        '{"type":"post","id":"p1","subject":"u1","text":"x","visibility":"friends","created_at":"2024-01-01T00:00:00Z"}',
        "post: field 'visibility'",
    ),
    (
        '{"type":"post","id":"p1","subject":"u1","text":"x","visibility":"public","created_at":"2024-01-01T00:00:00"}',
        "post: field 'created_at'",
    ),
    (
        '{"type":"post","id":"p1","subject":"u1","text":"x","visibility":"public","created_at":"2024-01-01T00:00:00Z","likes":3}',
        "post: unknown field 'likes'",
    ),
    ('{"type":"subject","id":"u9","country":"Germany"}', "unknown country code 'Germany'"),
    ('{"type":"subject","id":"u9","birth_date":"1990-13-01"}', "not a date"),
    (
        '{"type":"post","id":"p1","subject":"ghost","text":"x","visibility":"public","created_at":"2024-01-01T00:00:00Z"}',
        "unknown subject 'ghost'",
    ),
    (
        '{"type":"consent","subject":"u1","purpose":"sell_data","decision":"grant","at":"2024-01-01T00:00:00Z"}',
        "unknown purpose 'sell_data'",
    ),
    (
        '{"type":"consent","subject":"u1","purpose":"essential.service.security.identity_verification","decision":"grant","at":"2024-01-01T00:00:00Z"}',
        "must be explicit",
    ),
    ('{"type":"subject","id":"u9","handle":"alice"}', "handle @alice is already used"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_LINES)
def test_a_bad_line_fails_the_whole_file_naming_file_and_line(
    store: Store, policy: Policy, bad: str, message: str
) -> None:
    load(store, policy, [subject("u1", handle="alice")], name="first.jsonl")
    before = (counts(store), rows(store))
    lines = [subject("u2"), post("p9", "u2"), consent("u2", "train_ai_system"), bad]
    with pytest.raises(InputError) as caught:
        load(store, policy, lines, name="bad.jsonl")
    text = str(caught.value)
    assert text.startswith("bad.jsonl:4: "), text
    assert message in text and "\n" not in text
    assert (counts(store), rows(store)) == before  # nothing of the bad file was stored


def test_missing_file_is_a_clear_error(store: Store, policy: Policy) -> None:
    with pytest.raises(InputError, match=r"nope\.jsonl: cannot open"):
        ingest_jsonl(store, policy, Path("nope.jsonl"))


def test_memory_stays_bounded_while_streaming(sqlite_store: Store, policy: Policy) -> None:
    path = Path("big.jsonl")
    with path.open("w") as out:
        out.write(json.dumps(subject("u1")) + "\n")
        for i in range(60_000):
            out.write(json.dumps(post(f"p{i}", "u1", text="x" * 200)) + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    report = ingest_jsonl(sqlite_store, policy, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.records == 60_000
    assert peak < size / 2, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_events_are_validated_and_written_as_lines_are(store: Store, policy: Policy) -> None:
    events: list[Any] = [
        subject("u1"),
        json.dumps(post("p1", "u1")).encode(),  # JSON text, as a line of a file
        json.dumps(post("p2", "u1", visibility="private")),
        consent("u1", "train_ai_system"),
    ]
    report = ingest_events(store, policy, events, "push", channel="api:abc")
    assert (report.subjects, report.consents_recorded) == (1, 1)
    assert dict(report.stored) == {"user.content.public": 1, "user.content.private": 1}
    with store.read() as conn:
        assert conn.scalar(select(ConsentEvent.channel)) == "api:abc"
    again = ingest_events(store, policy, events, "push")
    assert (again.records, again.consents_already_held) == (2, 1)


def test_one_bad_event_stores_nothing_and_is_named_by_index(store: Store, policy: Policy) -> None:
    before = counts(store)
    for events, error in (
        ([post("p3", "u1"), post("p4", "u1", visibility="x")], r"^push\[1\]: post: field"),
        ([subject("u2"), b"{not json"], r"^push\[1\]: not valid JSON"),
        ([subject("u2"), post("p5", "nobody")], r"^push\[1\]: unknown subject 'nobody'"),
    ):
        with pytest.raises(InputError, match=error):
            ingest_events(store, policy, events, "push")
    assert counts(store) == before


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (post("p1", "u1", text="a\x00b"), "post: field 'text'"),
        ({**post("p1", "u1"), "lang": "x" * 17}, "post: field 'lang'"),
        (
            {"type": "job", "id": "j1", "employer": "E" * 256, "title": "Dev"},
            "job: field 'employer'",
        ),
        (
            {**consent("u1", "train_ai_system"), "notice_version": "v" * 129},
            "consent: field 'notice_version'",
        ),
    ],
)
def test_values_no_column_could_hold_fail_the_file_on_both_databases(
    store: Store, policy: Policy, line: dict[str, Any], expected: str
) -> None:
    # PostgreSQL refuses NUL characters and over-long values where SQLite keeps them: the
    # importer refuses them for both, naming the line and the field, before writing anything.
    path = write_jsonl(Path("bad.jsonl"), [subject("u1"), line])
    with pytest.raises(InputError, match=rf"bad.jsonl:2: {expected}"):
        ingest_jsonl(store, policy, path)
    with store.read() as conn:
        assert conn.scalar(select(func.count()).select_from(Subject)) == 0
