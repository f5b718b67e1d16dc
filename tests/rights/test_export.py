"""Export: the member's data as JSON files in a ZIP, each file explained in a README."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from purposely import audit
from purposely.errors import PurposelyError
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.rights.export import export_zip
from purposely.store import Store
from tests.factories import write_jsonl
from tests.rights.test_report import member_lines


def test_one_json_file_per_category_and_a_readme(store: Store, policy: Policy) -> None:
    ingest_jsonl(store, policy, write_jsonl(Path("m.jsonl"), member_lines(posts=2)))
    out = Path("alice.zip")
    report = export_zip(Gate(store, policy), "@alice", out, caller="member", controller="ACME")
    with zipfile.ZipFile(out) as archive:
        names = sorted(archive.namelist())
        files = {n: archive.read(n).decode() for n in names}
    assert names == sorted(
        [
            "README.md",
            "profile.json",
            "consents.json",
            "datasets.json",
            "audit_events.json",
            "recipients.json",
            "data/user.content.public.json",
            "data/user.content.private.message.json",
            "data/user.employment_history.json",
            "data/user.skills.json",
        ]
    )
    public = json.loads(files["data/user.content.public.json"])
    assert public["label"] == "Public posts" and len(public["items"]) == 2
    assert {i["id"] for i in public["items"]} == {"a0", "a1"}
    assert public["items"][0]["created_at"].endswith("Z")  # RFC 3339 UTC
    for name in names[1:]:
        json.loads(files[name])
        assert f"`{name}`" in files["README.md"], name
    assert report.record_count == 5
    with store.read() as conn:
        assert audit.recent(conn, 1)[0]["action"] == "rights.export"


def test_an_existing_file_is_never_overwritten(store: Store, policy: Policy) -> None:
    ingest_jsonl(store, policy, write_jsonl(Path("m.jsonl"), member_lines()))
    out = Path("taken.zip")
    out.write_bytes(b"mine")
    with pytest.raises(PurposelyError, match="already exists"):
        export_zip(Gate(store, policy), "alice", out, caller="t", controller="ACME")
    assert out.read_bytes() == b"mine"
