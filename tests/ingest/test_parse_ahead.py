"""Large files are parsed in a second process: same store, same errors, nothing half-done."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from purposely.errors import InputError, PurposelyError
from purposely.ingest import parse_ahead
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ConsentEvent, Job, Record, Subject
from tests.factories import T0, consent, employment, post, skill, subject, write_jsonl
from tests.ingest.test_jsonl import EVERYTHING


def snapshot(store: Store) -> dict[str, Any]:
    """What an import left: every subject, record, job and ledger entry (without times)."""
    with store.read() as conn:
        return {
            "subjects": sorted(conn.execute(select(Subject.id, Subject.country)).all()),
            "records": sorted(
                conn.execute(
                    select(Record.source_id, Record.kind, Record.category, Record.text)
                ).all()
            ),
            "jobs": sorted(conn.execute(select(Job.id, Job.title)).all()),
            "ledger": sorted(
                conn.execute(select(ConsentEvent.purpose, ConsentEvent.decision)).all()
            ),
        }


def many_lines(members: int) -> list[Any]:
    """Subjects with posts, career lines and consents, then a delete of an early post."""
    lines: list[Any] = []
    for m in range(members):
        lines.append(subject(f"u{m}"))
        lines.extend(post(f"p{m}-{n}", f"u{m}", text=f"Beitrag {n} von u{m}") for n in range(7))
        lines += [
            skill(f"u{m}", "Python"),
            employment(f"u{m}"),
            consent(f"u{m}", "train_ai_system"),
        ]
    return [*lines, *EVERYTHING, {"type": "delete", "id": "p0-0", "at": T0}]


def test_the_store_is_the_same_whichever_way_the_file_is_parsed(
    db_url: str, tmp_path: Path, policy: Policy
) -> None:
    path = write_jsonl(tmp_path / "big.jsonl", many_lines(700))  # > one batch of the pipe
    stores = []
    for ahead in (False, True):
        store = Store.init(db_url if not ahead else f"sqlite:///{tmp_path / 'ahead.db'}")
        report = ingest_jsonl(store, policy, path, parse_ahead=ahead)
        stores.append((snapshot(store), report))
        store.engine.dispose()
    (serial, serial_report), (ahead, ahead_report) = stores
    assert ahead == serial
    assert ahead_report == serial_report
    assert ("p0-0", "post") not in {(r[0], r[1]) for r in ahead["records"]}  # the delete held


def test_progress_adds_up_to_the_file(sqlite_store: Store, tmp_path: Path, policy: Policy) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", many_lines(400))
    seen: list[int] = []
    ingest_jsonl(sqlite_store, policy, path, seen.append, parse_ahead=True)
    assert sum(seen) == path.stat().st_size
    assert len(seen) > 1  # reported batch by batch, not once at the end


def test_a_bad_line_late_in_the_file_stores_nothing(
    store: Store, tmp_path: Path, policy: Policy
) -> None:
    lines = [*many_lines(400), {"type": "post", "id": "x", "subject": "u1"}]
    path = write_jsonl(tmp_path / "bad.jsonl", lines)
    with pytest.raises(InputError) as caught:
        ingest_jsonl(store, policy, path, parse_ahead=True)
    assert str(caught.value).startswith(f"{path}:{len(lines)}: post: missing required field")
    with store.read() as conn:
        assert conn.scalar(select(func.count()).select_from(Subject)) == 0
        assert conn.scalar(select(func.count()).select_from(Record)) == 0


def dies_midway(path: Path) -> Iterator[tuple[list[Any], int]]:
    """A producer whose process ends abruptly after one batch (as if killed)."""
    yield [], 0
    os._exit(3)


def test_a_parsing_process_that_dies_is_reported_not_mistaken_for_the_end() -> None:
    with pytest.raises(PurposelyError, match=r"ended without finishing \(exit code 3\)"):
        list(parse_ahead.parsed_ahead(dies_midway, Path("unused")))


def endless(path: Path) -> Iterator[tuple[list[int], int]]:
    """A producer that never stops."""
    n = 0
    while True:
        yield list(range(n, n + 100)), 100
        n += 100


def children() -> set[str]:
    """The pids of this process's children (Linux)."""
    return set(Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split())


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_the_parsing_process_stops_when_the_writer_stops() -> None:
    before = children()  # a test worker may have children of its own (process pools)
    rows = parse_ahead.parsed_ahead(endless, Path("unused"))
    assert [next(rows) for _ in range(250)] == list(range(250))
    assert len(children() - before) == 1  # the parsing process
    rows.close()  # what a failing writer's `for` loop does
    assert children() - before == set()


def test_small_files_and_single_cores_parse_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not parse_ahead.worth_it(1_000, threshold=2_000)
    assert parse_ahead.worth_it(2_000, threshold=2_000) == ((os.cpu_count() or 1) > 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not parse_ahead.worth_it(10**9, threshold=2_000)


@pytest.mark.parametrize("ahead", [False, True])
def test_an_error_found_in_a_later_batch_names_its_line_and_stores_nothing(
    store: Store, tmp_path: Path, policy: Policy, ahead: bool
) -> None:
    lines = many_lines(800)  # several batches: the error is found after some were written
    lines.insert(100, post("orphan", "nobody"))  # found only when its batch is written
    path = write_jsonl(tmp_path / "orphan.jsonl", lines)
    with pytest.raises(InputError, match=rf"^{path}:101: unknown subject 'nobody'"):
        ingest_jsonl(store, policy, path, parse_ahead=ahead)
    with store.read() as conn:
        assert conn.scalar(select(func.count()).select_from(Record)) == 0
