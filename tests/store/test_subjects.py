"""Finding subjects by id or @handle, one or many."""

from __future__ import annotations

from pathlib import Path

import pytest

from purposely.errors import UnknownSubjectError
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.subjects import find_subject, find_subjects
from tests.factories import subject, write_jsonl


def test_one_and_many_by_id_or_handle(store: Store, policy: Policy) -> None:
    lines = [subject(f"u{i}", handle=f"h{i}") for i in range(1200)]
    ingest_jsonl(store, policy, write_jsonl(Path("s.jsonl"), lines))
    with store.read() as conn:
        assert find_subject(conn, "@h7").id == "u7"
        refs = [f"u{i}" for i in range(1100)] + ["@h1199", "u3"]
        found = find_subjects(conn, refs)
        assert [s.id for s in found] == [f"u{i}" for i in range(1100)] + ["u1199", "u3"]
        assert found[0].pseudonym == store.pseudonym("u0")
        with pytest.raises(UnknownSubjectError, match="'nobody'"):
            find_subjects(conn, ["u1", "@nobody", "u2"])
