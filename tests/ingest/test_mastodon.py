"""The Mastodon importer: visibility from addressing, the gate, formats, atomicity, streaming."""

from __future__ import annotations

import io
import itertools
import json
import subprocess
import sys
import tarfile
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from purposely.cli import app
from purposely.errors import InputError, UnknownSubjectError
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.ingest.mastodon import BOOST, ingest_mastodon, visibility_of
from purposely.ingest.report import ImportReport
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import ConsentEvent, Record, Subject
from tests.factories import consent, subject, write_jsonl

HOST = "https://social.example"
ACTOR_ID = f"{HOST}/users/alice"
FOLLOWERS = f"{ACTOR_ID}/followers"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
BOB = "https://other.example/users/bob"
CAROL = "https://other.example/users/carol"
TRAIN = "train_ai_system"
FORMATS = ("zip", "tar.gz", "folder")

# --- factories: Python objects -> a Mastodon export ------------------------------------------


def status_id(n: int) -> str:
    """The id Mastodon gives the n-th status of the test account."""
    return f"{ACTOR_ID}/statuses/{n}"


def actor(**fields: Any) -> dict[str, Any]:
    """actor.json as Mastodon writes it: a Person with profile fields, avatar and header."""
    return {
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": ACTOR_ID,
        "type": "Person",
        "following": f"{ACTOR_ID}/following",
        "followers": FOLLOWERS,
        "inbox": f"{ACTOR_ID}/inbox",
        "outbox": "outbox.json",
        "preferredUsername": "alice",
        "name": "Alice Example",
        "summary": "<p>Data engineer &amp; cyclist.</p><p>Berlin</p>",
        "url": f"{HOST}/@alice",
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "published": "2022-11-01T00:00:00Z",
        "publicKey": {"id": f"{ACTOR_ID}#main-key", "publicKeyPem": "-----BEGIN..."},
        "attachment": [
            {
                "type": "PropertyValue",
                "name": "Website",
                "value": '<a href="https://alice.example/" rel="me nofollow noopener" '
                'target="_blank"><span class="invisible">https://</span>'
                '<span class="">alice.example/</span><span class="invisible"></span></a>',
            },
            {"type": "PropertyValue", "name": "Pronouns", "value": "she/her"},
        ],
        "icon": {"type": "Image", "mediaType": "image/png", "url": "avatar.png"},
        "image": {"type": "Image", "mediaType": "image/jpeg", "url": "header.jpg"},
        "likes": "likes.json",
        "bookmarks": "bookmarks.json",
        **fields,
    }


def create(
    n: int,
    content: str = "<p>Hallo</p>",
    *,
    to: list[str],
    cc: list[str] | None = None,
    **note: Any,
) -> dict[str, Any]:
    """A ``Create`` activity of the n-th status, addressed as given."""
    cc = cc or []
    return {
        "id": f"{status_id(n)}/activity",
        "type": "Create",
        "actor": ACTOR_ID,
        "published": "2024-01-15T12:00:00Z",
        "to": to,
        "cc": cc,
        "object": {
            "id": status_id(n),
            "type": "Note",
            "summary": None,
            "inReplyTo": None,
            "published": "2024-01-15T12:00:00Z",
            "url": f"{HOST}/@alice/{n}",
            "attributedTo": ACTOR_ID,
            "to": to,
            "cc": cc,
            "sensitive": False,
            "content": content,
            "contentMap": {"de": content},
            "attachment": [],
            "tag": [],
            **note,
        },
    }


def public(n: int, content: str = "<p>Hallo Welt</p>", **note: Any) -> dict[str, Any]:
    """A public status: the Public collection in ``to``."""
    return create(n, content, to=[PUBLIC], cc=[FOLLOWERS], **note)


def unlisted(n: int) -> dict[str, Any]:
    """An unlisted status: Public only in ``cc``."""
    return create(n, "<p>leise</p>", to=[FOLLOWERS], cc=[PUBLIC])


def followers_only(n: int) -> dict[str, Any]:
    """A followers-only status that also mentions someone."""
    return create(n, "<p>nur Follower</p>", to=[FOLLOWERS], cc=[BOB])


def direct(n: int) -> dict[str, Any]:
    """A direct status to Bob and Carol."""
    return create(n, "<p>geheim</p>", to=[BOB, CAROL])


def boost(n: int) -> dict[str, Any]:
    """An ``Announce`` of somebody else's post."""
    return {
        "id": f"{status_id(n)}/activity",
        "type": "Announce",
        "actor": ACTOR_ID,
        "published": "2024-01-16T08:00:00Z",
        "to": [PUBLIC],
        "cc": [BOB, FOLLOWERS],
        "object": "https://other.example/users/bob/statuses/99",
    }


HTML_POST = (
    '<p>Tom &amp; Jerry&#39;s &quot;Abenteuer&quot; &lt;3<br>zweite Zeile <a href="https://'
    'example.org/a/very/long/path" rel="nofollow noopener" target="_blank"><span class="'
    'invisible">https://</span><span class="ellipsis">example.org/a/very/</span><span '
    'class="invisible">long/path</span></a></p><p>Hallo <span class="h-card"><a href="'
    f'{BOB}" class="u-url mention">@<span>bob</span></a></span> <a href="{HOST}/tags/rad" '
    'class="mention hashtag" rel="tag">#<span>rad</span></a></p>'
)
HTML_TEXT = (
    'Tom & Jerry\'s "Abenteuer" <3\nzweite Zeile https://example.org/a/very/long/path\n'
    "Hallo @bob #rad"
)


def html_post(n: int) -> dict[str, Any]:
    """A public reply with entities, links, line breaks, tags, media and a content warning."""
    return public(
        n,
        HTML_POST,
        contentMap={"en": HTML_POST},
        inReplyTo="https://other.example/users/bob/statuses/7",
        sensitive=True,
        summary="Spoiler",
        tag=[
            {"type": "Mention", "href": BOB, "name": "@bob@other.example"},
            {"type": "Hashtag", "href": f"{HOST}/tags/rad", "name": "#rad"},
            {"type": "Emoji", "name": ":blob:", "icon": {"url": "x.png"}},
        ],
        attachment=[
            {"type": "Document", "mediaType": "image/png", "url": "media_attachments/1.png"},
            {"type": "Document", "mediaType": "image/png", "url": "media_attachments/2.png"},
        ],
    )


def sample_items() -> list[dict[str, Any]]:
    """One of each: public, unlisted, followers-only, direct, boost, HTML-rich public."""
    return [public(1), unlisted(2), followers_only(3), direct(4), boost(5), html_post(6)]


def outbox(items: list[Any]) -> dict[str, Any]:
    """outbox.json: an OrderedCollection of the activities."""
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }


def export_files(
    items: list[Any] | None = None, actor_doc: dict[str, Any] | None = None
) -> dict[str, bytes]:
    """Every file of an export, as Mastodon lays it out, by name."""
    likes = {"id": "likes.json", "type": "OrderedCollection", "orderedItems": [BOB + "/s/1"]}
    return {
        "outbox.json": json.dumps(outbox(sample_items() if items is None else items)).encode(),
        "actor.json": json.dumps(actor() if actor_doc is None else actor_doc).encode(),
        "likes.json": json.dumps(likes).encode(),
        "bookmarks.json": json.dumps({**likes, "id": "bookmarks.json"}).encode(),
        "avatar.png": b"\x89PNG fake",
        "header.jpg": b"\xff\xd8 fake",
        "media_attachments/files/000/001/original/1.png": b"\x89PNG one",
        "media_attachments/files/000/002/original/2.png": b"\x89PNG two",
        "following_accounts.csv": b"Account address,Show boosts\nbob@other.example,true\n",
    }


def write_export(files: dict[str, bytes], dest: Path, fmt: str) -> Path:
    """Write ``files`` as a ZIP, a .tar.gz or a folder at ``dest`` (plus the suffix)."""
    if fmt == "folder":
        for name, data in files.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(data)
        return dest
    if fmt == "zip":
        path = dest.with_name(dest.name + ".zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return path
    path = dest.with_name(dest.name + ".tar.gz")
    with tarfile.open(path, "w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def make_export(
    fmt: str = "folder", items: list[Any] | None = None, name: str = "export", **kw: Any
) -> Path:
    """An export of ``items`` (the sample statuses by default) in the working directory."""
    return write_export(export_files(items, **kw), Path(name), fmt)


# --- reading back ------------------------------------------------------------------------------


def records(store: Store) -> dict[str, Any]:
    """Every record by its source id."""
    with store.read() as conn:
        rows = conn.execute(select(Record.__table__)).mappings().all()
    return {row["source_id"]: dict(row) for row in rows}


def snapshot(store: Store) -> tuple[list[Any], list[Any]]:
    """Subjects and records without surrogate keys or write times, comparable across stores."""
    with store.read() as conn:
        subjects = conn.execute(
            select(Subject.id, Subject.handle, Subject.birth_date, Subject.country)
        ).all()
        rows = conn.execute(
            select(
                Record.source,
                Record.source_id,
                Record.kind,
                Record.category,
                Record.text,
                Record.data,
                Record.lang,
                Record.created_at,
            )
        ).all()
    recs = sorted((*r[:5], json.dumps(r[5], sort_keys=True), *r[6:]) for r in rows)
    return sorted(tuple(s) for s in subjects), recs


def counts(store: Store) -> tuple[int, int, int]:
    """How many subjects, records and consent events the store holds."""
    with store.read() as conn:
        return (
            int(conn.scalar(select(func.count()).select_from(Subject)) or 0),
            int(conn.scalar(select(func.count()).select_from(Record)) or 0),
            int(conn.scalar(select(func.count()).select_from(ConsentEvent)) or 0),
        )


def with_consenting_adult(store: Store, policy: Policy, subject_id: str = "u1") -> None:
    """A subject in Germany born 1990, who granted consent to AI training (via JSONL)."""
    lines = [subject(subject_id), consent(subject_id, TRAIN)]
    ingest_jsonl(store, policy, write_jsonl(Path("people.jsonl"), lines))


# --- visibility and categories -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "cc", "expected"),
    [
        ([PUBLIC], [FOLLOWERS], "public"),
        (["as:Public"], [], "public"),
        (["Public", BOB], [], "public"),
        ([FOLLOWERS], [PUBLIC], "unlisted"),
        ([FOLLOWERS], ["as:Public", BOB], "unlisted"),
        ([FOLLOWERS], [], "followers"),
        ([FOLLOWERS, BOB], [CAROL], "followers"),
        ([BOB], [FOLLOWERS], "followers"),
        ([BOB, CAROL], [], "direct"),
        ([], [], "direct"),
        ([f"{BOB}/followers"], [], "direct"),  # someone else's followers are not the audience
    ],
)
def test_visibility_is_read_from_addressing(to: list[str], cc: list[str], expected: str) -> None:
    assert visibility_of(to, cc, FOLLOWERS) == expected


def test_each_status_is_stored_under_its_visibility(store: Store, policy: Policy) -> None:
    report = ingest_mastodon(store, policy, make_export())

    got = records(store)
    assert {
        k: (v["kind"], v["category"], v["data"]["visibility"])
        for k, v in got.items()
        if k.startswith(f"{ACTOR_ID}/statuses/")
    } == {
        status_id(1): ("post", "user.content.public", "public"),
        status_id(2): ("post", "user.content.private", "unlisted"),
        status_id(3): ("post", "user.content.private", "followers"),
        status_id(4): ("message", "user.content.private.message", "direct"),
        status_id(6): ("post", "user.content.public", "public"),
    }
    assert got[status_id(4)]["data"]["recipients"] == [BOB, CAROL]
    assert "recipients" not in got[status_id(3)]["data"]
    assert report.skipped == {BOOST: 1}
    assert report.file("outbox.json").stored == {
        "user.content.public": 2,
        "user.content.private": 2,
        "user.content.private.message": 1,
    }


def test_html_becomes_plain_text_with_its_metadata(store: Store, policy: Policy) -> None:
    ingest_mastodon(store, policy, make_export())

    row = records(store)[status_id(6)]
    assert row["text"] == HTML_TEXT
    assert row["lang"] == "en"
    assert row["created_at"] == datetime(2024, 1, 15, 12, tzinfo=UTC)
    assert row["data"] == {
        "visibility": "public",
        "in_reply_to": "https://other.example/users/bob/statuses/7",
        "tags": ["@bob@other.example", "#rad"],
        "attachments": 2,
        "sensitive": True,
        "summary": "Spoiler",
    }
    assert records(store)[status_id(1)]["lang"] == "de"


def test_profile_subject_and_skipped_fields(store: Store, policy: Policy) -> None:
    report = ingest_mastodon(store, policy, make_export())

    assert snapshot(store)[0] == [(ACTOR_ID, "alice@social.example", None, None)]
    profile = {
        (v["category"], v["text"]) for v in records(store).values() if v["kind"] != "post"
    } - {("user.content.private.message", "geheim")}
    assert profile == {
        ("user.name", "Alice Example"),
        ("user.demographic.profile", "Data engineer & cyclist.\nBerlin"),
        ("user.contact.url", f"{HOST}/@alice"),
        ("user.contact.url", "https://alice.example/"),
        ("user.demographic.profile", "Pronouns: she/her"),
    }
    note = report.file("actor.json")
    assert note.skipped["icon: profile picture: not used by any purpose (data minimisation)"] == 1
    assert note.skipped["image: profile header image: not used by any purpose (data minimisation)"]
    assert any(k.startswith("publicKey: ") for k in note.skipped)
    assert any(k.startswith("discoverable: ") for k in note.skipped)
    assert note.note is not None and "no birth date or country" in note.note


def test_every_other_file_is_reported_as_skipped_with_a_reason(
    sqlite_store: Store, policy: Policy
) -> None:
    report = ingest_mastodon(sqlite_store, policy, make_export("zip"))

    notes = {n.name: n for n in report.files}
    assert set(notes) == {
        "actor.json",
        "outbox.json",
        "likes.json",
        "bookmarks.json",
        "avatar.png",
        "header.jpg",
        "media_attachments/",
        "following_accounts.csv",
    }
    for name in set(notes) - {"actor.json", "outbox.json"}:
        assert not notes[name].stored
        (reason,) = notes[name].skipped
        assert reason.endswith("not used by any purpose (data minimisation)")
    assert sum(notes["media_attachments/"].skipped.values()) == 2
    assert "favourited" in next(iter(notes["likes.json"].skipped))


def test_other_activities_are_counted_by_type(sqlite_store: Store, policy: Policy) -> None:
    update = {**public(1), "type": "Update"}
    article = public(2)
    article["object"]["type"] = "Article"
    foreign = public(3)
    foreign["object"]["attributedTo"] = BOB
    poll = public(4, "<p>Tee oder Kaffee?</p>")
    poll["object"].update(type="Question", oneOf=[{"name": "Tee"}, {"name": "Kaffee"}])
    items = [update, article, foreign, poll, boost(5), boost(6)]

    report = ingest_mastodon(sqlite_store, policy, make_export(items=items))

    assert report.skipped == {
        "activity type Update: not a status": 1,
        "Create of a Article: not a status": 1,
        "status attributed to another account": 1,
        BOOST: 2,
    }
    stored = records(sqlite_store)
    assert stored[status_id(4)]["text"] == "Tee oder Kaffee?"
    assert stored[status_id(4)]["data"]["poll_options"] == ["Tee", "Kaffee"]
    assert status_id(1) not in stored and status_id(3) not in stored


# --- the gate ----------------------------------------------------------------------------------


def test_gate_releases_only_public_statuses_for_training(store: Store, policy: Policy) -> None:
    with_consenting_adult(store, policy)
    ingest_mastodon(store, policy, make_export(), subject="u1")

    gate = Gate(store, policy)
    answer = gate.ask(TRAIN, caller="t", subject="u1", list_ids=True)

    assert answer.record_ids == (("mastodon", status_id(1)), ("mastodon", status_id(6)))
    assert {r.source_id for r in gate.records(answer)} == {status_id(1), status_id(6)}
    assert answer.withheld_by_category["user.content.private"] == {"private": 2}
    assert answer.withheld_by_category["user.content.private.message"] == {"private": 1}
    # the JSONL subject kept its birth date and country: that is why anything is allowed
    assert snapshot(store)[0] == [("u1", "u1", "1990-04-01", "DE")]


def test_no_addressing_leaks_a_non_public_status(sqlite_store: Store, policy: Policy) -> None:
    pool = [PUBLIC, "as:Public", "Public", FOLLOWERS, BOB]
    subsets = [list(c) for r in range(len(pool) + 1) for c in itertools.combinations(pool, r)]
    items, expected = [], set()
    for n, (to, cc) in enumerate(itertools.product(subsets, subsets), start=1):
        items.append(create(n, to=to, cc=cc))
        if {PUBLIC, "as:Public", "Public"} & set(to):
            expected.add(("mastodon", status_id(n)))
    with_consenting_adult(sqlite_store, policy)
    ingest_mastodon(sqlite_store, policy, make_export(items=items), subject="u1")

    answer = Gate(sqlite_store, policy).ask(TRAIN, caller="t", subject="u1", list_ids=True)

    assert answer.record_ids is not None
    assert set(answer.record_ids) == expected
    assert answer.records_withheld == len(items) - len(expected) + 5  # + 5 profile records


def test_new_subject_from_actor_counts_as_minor_until_age_is_known(
    sqlite_store: Store, policy: Policy
) -> None:
    ingest_mastodon(sqlite_store, policy, make_export())

    answer = Gate(sqlite_store, policy).ask(TRAIN, caller="t", subject="@alice@social.example")

    assert answer.records_allowed == 0
    assert answer.withheld_by_category["user.content.public"] == {"minor": 2}


def test_subject_can_be_named_by_handle(sqlite_store: Store, policy: Policy) -> None:
    with_consenting_adult(sqlite_store, policy)

    ingest_mastodon(sqlite_store, policy, make_export(), subject="@u1")

    assert {r["subject_pk"] for r in records(sqlite_store).values()} == {1}
    with pytest.raises(UnknownSubjectError):
        ingest_mastodon(sqlite_store, policy, make_export(name="e2"), subject="@nobody")


# --- formats, idempotence ----------------------------------------------------------------------


def test_zip_tar_gz_and_folder_give_the_same_result(tmp_path: Path, policy: Policy) -> None:
    results = []
    for fmt in FORMATS:
        store = Store.init(f"sqlite:///{tmp_path / fmt}.db")
        report = ingest_mastodon(store, policy, make_export(fmt, name=f"export-{fmt}"))
        results.append((snapshot(store), report.stored, report.skipped))
        store.engine.dispose()
    assert results[0][0][1]  # something was stored
    assert results[0] == results[1] == results[2]


def test_a_zipped_folder_is_found_inside(tmp_path: Path, policy: Policy) -> None:
    files = {f"archive-2024/{name}": data for name, data in export_files().items()}
    flat, nested = (Store.init(f"sqlite:///{tmp_path / n}.db") for n in ("flat", "nested"))
    ingest_mastodon(flat, policy, make_export("zip"))
    report = ingest_mastodon(nested, policy, write_export(files, Path("nested"), "zip"))
    assert snapshot(flat) == snapshot(nested)
    assert "media_attachments/" in {n.name for n in report.files}


def test_reimport_is_idempotent_and_replaces_changed_statuses(store: Store, policy: Policy) -> None:
    ingest_mastodon(store, policy, make_export())
    first = snapshot(store)
    ingest_mastodon(store, policy, make_export("zip"))
    assert snapshot(store) == first
    assert counts(store)[:2] == (1, len(first[1]))

    # the author narrowed status 1 to unlisted: the next export moves it out of public
    changed = [unlisted(1), *sample_items()[1:]]
    ingest_mastodon(store, policy, make_export(items=changed, name="later"))
    assert records(store)[status_id(1)]["category"] == "user.content.private"
    assert counts(store)[1] == len(first[1])


# --- bad input: one line, naming file and item; nothing stored -----------------------------------


def not_an_archive() -> tuple[Path, str]:
    """A text file."""
    path = Path("notes.txt")
    path.write_text("just some notes\n")
    return path, "notes.txt: not a ZIP, .tar.gz or folder"


def truncated_outbox() -> tuple[Path, str]:
    """An outbox cut off in the middle of its second item."""
    files = export_files()
    data = files["outbox.json"]
    files["outbox.json"] = data[: data.index(f"{status_id(2)}/activity".encode()) + 20]
    return write_export(files, Path("cut"), "zip"), "cut.zip:outbox.json: item 2: not valid JSON"


def missing_actor() -> tuple[Path, str]:
    """An export without actor.json."""
    files = export_files()
    del files["actor.json"]
    return write_export(files, Path("noactor"), "tar.gz"), "noactor.tar.gz: no actor.json"


def item_without_id() -> tuple[Path, str]:
    """An outbox whose second item has no id."""
    items = sample_items()
    del items[1]["id"]
    return make_export(items=items), "export/outbox.json: item 2: missing 'id'"


def item_without_published() -> tuple[Path, str]:
    """An outbox whose fourth item has no time."""
    items = sample_items()
    del items[3]["published"]
    return make_export(items=items), "export/outbox.json: item 4: missing 'published'"


def bad_time() -> tuple[Path, str]:
    """A status whose time has no zone."""
    items = sample_items()
    items[2]["object"]["published"] = "2024-01-15T12:00:00"
    return make_export(items=items), "export/outbox.json: item 3: 'published'"


def truncated_zip() -> tuple[Path, str]:
    """A ZIP download that stopped early."""
    path = make_export("zip")
    path.write_bytes(path.read_bytes()[:200])
    return path, "export.zip: damaged ZIP"


def truncated_tar_gz() -> tuple[Path, str]:
    """A .tar.gz download that stopped early."""
    path = make_export("tar.gz")
    path.write_bytes(path.read_bytes()[:-40])
    return path, "export.tar.gz: not a .tar.gz, or a damaged one"


def not_a_collection() -> tuple[Path, str]:
    """An outbox that is a bare list."""
    files = export_files()
    files["outbox.json"] = b"[]"
    return write_export(files, Path("bare"), "folder"), "bare/outbox.json: expected a JSON object"


def broken_actor() -> tuple[Path, str]:
    """An actor.json that is not JSON."""
    files = export_files()
    files["actor.json"] = b'{"id": '
    return write_export(files, Path("ba"), "folder"), "ba/actor.json: not valid JSON"


def deeply_nested() -> tuple[Path, str]:
    """A hostile outbox whose first item nests brackets far deeper than any status."""
    files = export_files()
    files["outbox.json"] = b'{"orderedItems": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    return write_export(files, Path("deep"), "zip"), "deep.zip:outbox.json: item 1: nested more"


def trailing_garbage() -> tuple[Path, str]:
    """An outbox with something after the collection."""
    files = export_files()
    files["outbox.json"] += b" {}"
    return write_export(files, Path("tg"), "folder"), "tg/outbox.json: item 7: not valid JSON"


BAD_INPUTS = [
    not_an_archive,
    truncated_outbox,
    missing_actor,
    item_without_id,
    item_without_published,
    bad_time,
    truncated_zip,
    truncated_tar_gz,
    not_a_collection,
    broken_actor,
    deeply_nested,
    trailing_garbage,
]


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda f: f.__name__)
def test_bad_input_fails_with_one_line_and_stores_nothing(
    store: Store, policy: Policy, bad: Any
) -> None:
    path, expected = bad()
    with pytest.raises(InputError) as caught:
        ingest_mastodon(store, policy, path)
    message = str(caught.value)
    assert message.startswith(expected), message
    assert "\n" not in message
    assert counts(store) == (0, 0, 0)


def test_missing_path_is_named(sqlite_store: Store, policy: Policy) -> None:
    with pytest.raises(InputError, match=r"^nowhere\.zip: no such file or directory$"):
        ingest_mastodon(sqlite_store, policy, Path("nowhere.zip"))


def test_a_bad_item_late_in_the_outbox_undoes_the_whole_import(
    store: Store, policy: Policy
) -> None:
    with_consenting_adult(store, policy)
    before = snapshot(store)
    # more items than one write batch, so some were already sent to the database
    items: list[Any] = [public(n) for n in range(1, 6_002)]
    items.append({"type": "Create", "object": {}, "published": "2024-01-15T12:00:00Z"})

    with pytest.raises(InputError, match=r"outbox\.json: item 6002: missing 'id'"):
        ingest_mastodon(store, policy, make_export(items=items), subject="u1")

    assert snapshot(store) == before


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [not_an_archive, truncated_outbox, missing_actor, item_without_id],
    ids=lambda f: f.__name__,
)
def test_cli_exits_2_with_one_line_and_stores_nothing(bad: Any) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    path, expected = bad()

    result = runner.invoke(app, ["ingest", "mastodon", str(path)])

    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert counts(Store.open()) == (0, 0, 0)


# The CLI in a child process whose address space is capped at 1 GB: a reader whose memory
# grows with nesting depth dies there of MemoryError (exit 1), not by taking the machine.
LIMITED_CLI = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from purposely.cli import main
sys.argv[0] = "purposely"
main()
"""


@pytest.mark.parametrize("fmt", ["zip", "folder"])
def test_cli_refuses_a_deeply_nested_outbox_in_little_memory(fmt: str) -> None:
    pytest.importorskip("resource")
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    files = export_files()
    files["outbox.json"] = b'{"orderedItems": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    path = write_export(files, Path("deep"), fmt)

    result = subprocess.run(
        [sys.executable, "-c", LIMITED_CLI, "ingest", "mastodon", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2, result.stderr
    origin = f"{path}:outbox.json" if fmt == "zip" else f"{path}/outbox.json"
    assert result.stderr.strip().splitlines() == [
        f"error: {origin}: item 1: nested more than 64 levels deep, which no Mastodon outbox is"
    ]
    assert counts(Store.open()) == (0, 0, 0)


def test_cli_imports_and_reports_as_json() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    path = make_export("zip")

    result = runner.invoke(app, ["ingest", "mastodon", str(path), "--subject", "me", "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "mastodon" and report["subjects"] == 1
    assert report["stored"]["user.content.private.message"] == 1
    assert {f["file"] for f in report["files"]} >= {"outbox.json", "likes.json"}
    assert snapshot(Store.open())[0] == [("me", "alice@social.example", None, None)]


# --- streaming -----------------------------------------------------------------------------------


def write_large_outbox(path: Path, n: int) -> None:
    """An outbox of ``n`` statuses with Mastodon's bulky per-item metadata, written in pieces."""
    padding = {
        "replies": {
            "id": "r",
            "type": "Collection",
            "first": {"type": "CollectionPage", "next": "x" * 2_000, "items": []},
        },
        "attachment": [
            {"type": "Document", "url": "media/x.png", "blurhash": "U" * 200, "width": 1}
        ]
        * 3,
    }
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "OrderedCollection", "orderedItems": [')
        for i in range(1, n + 1):
            item = public(i, f"<p>Beitrag Nummer {i}</p>", **padding)
            out.write(("," if i > 1 else "") + json.dumps(item))
        out.write("]}")


@pytest.mark.slow
def test_large_outbox_is_streamed(sqlite_store: Store, policy: Policy) -> None:
    folder = Path("big")
    files = export_files(items=[])
    del files["outbox.json"]
    write_export(files, folder, "folder")
    write_large_outbox(folder / "outbox.json", 15_000)
    size = (folder / "outbox.json").stat().st_size
    assert size > 50_000_000

    tracemalloc.start()
    try:
        report = ingest_mastodon(sqlite_store, policy, folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert report.stored["user.content.public"] == 15_000
    assert peak < size / 4, f"peak {peak:,} bytes for a {size:,}-byte outbox"


@pytest.mark.parametrize("fmt", FORMATS)
def test_progress_counts_the_export_bytes_once(
    sqlite_store: Store, policy: Policy, fmt: str
) -> None:
    path = make_export(fmt)
    size = (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    seen: list[int] = []

    ingest_mastodon(sqlite_store, policy, path, seen.append)

    assert all(n > 0 for n in seen)
    assert sum(seen) == size


def test_report_lists_what_was_stored(sqlite_store: Store, policy: Policy) -> None:
    report = ingest_mastodon(sqlite_store, policy, make_export())
    assert isinstance(report, ImportReport)
    assert report.as_dict()["records"] == 5 + 5  # five statuses, five profile records
