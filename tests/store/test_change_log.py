"""The change log: every change outside the ledger that the gate's answers depend on (what
lets a snapshot's re-check look only at what changed). Database triggers log records'
changes, whoever writes them; the importers' writer logs subjects' changes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select

from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ChangeLog, Record, Subject
from purposely.store.subjects import find_subject
from tests.factories import post, subject, write_jsonl


def logged(store: Store) -> list[tuple[int, int | None]]:
    """(subject pk, record pk) of every logged change, in order."""
    with store.read() as conn:
        query = select(ChangeLog.subject_pk, ChangeLog.record_pk).order_by(ChangeLog.seq)
        return [(s, r) for s, r in conn.execute(query)]


def two_members(store: Store, policy: Policy) -> tuple[int, int]:
    """Members a and b with a post each; their subject pks."""
    lines = [subject("a"), subject("b"), post("a-1", "a"), post("b-1", "b")]
    ingest_jsonl(store, policy, write_jsonl(Path("two.jsonl"), lines))
    with store.read() as conn:
        return find_subject(conn, "a").pk, find_subject(conn, "b").pk


def record_pk(store: Store, source_id: str) -> int:
    """The pk of the record with ``source_id``."""
    with store.read() as conn:
        return int(conn.scalar(select(Record.pk).where(Record.source_id == source_id)) or 0)


def test_an_import_of_new_rows_logs_nothing(store: Store, policy: Policy) -> None:
    two_members(store, policy)
    assert logged(store) == []


def test_a_deleted_record_is_logged_with_its_subject(store: Store, policy: Policy) -> None:
    a, _ = two_members(store, policy)
    pk = record_pk(store, "a-1")
    ingest_jsonl(store, policy, write_jsonl(Path("d.jsonl"), [{"type": "delete", "id": "a-1"}]))
    assert logged(store) == [(a, pk)]


def test_a_record_changing_category_is_logged_but_not_a_new_text(
    store: Store, policy: Policy
) -> None:
    _, b = two_members(store, policy)
    pk = record_pk(store, "b-1")
    lines = [post("b-1", "b", text="edited, still public")]
    ingest_jsonl(store, policy, write_jsonl(Path("edit.jsonl"), lines))
    assert logged(store) == []
    lines = [post("b-1", "b", text="edited, now private", visibility="private")]
    ingest_jsonl(store, policy, write_jsonl(Path("private.jsonl"), lines))
    assert logged(store) == [(b, pk)]


def test_a_subject_imported_again_with_another_country_or_age_is_logged(
    store: Store, policy: Policy
) -> None:
    a, b = two_members(store, policy)
    again = [subject("a", handle="a-renamed"), subject("b")]  # same country and age
    ingest_jsonl(store, policy, write_jsonl(Path("same.jsonl"), again))
    assert logged(store) == []
    moved = [subject("a", country="US"), subject("b", birth_date="2013-02-03")]
    ingest_jsonl(store, policy, write_jsonl(Path("moved.jsonl"), moved))
    assert sorted(logged(store)) == sorted([(a, None), (b, None)])


def test_erasing_a_subject_logs_each_of_its_records(store: Store, policy: Policy) -> None:
    a, _ = two_members(store, policy)
    pk = record_pk(store, "a-1")
    with store.write() as conn:  # as `purposely erase` does, records first
        conn.execute(delete(Record).where(Record.subject_pk == a))
        conn.execute(delete(Subject).where(Subject.pk == a))
    assert logged(store) == [(a, pk)]
