"""Importing X (Twitter) archives: the shared real archives, and archives built here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from purposely.cli import app
from purposely.consent import ConsentDecision, Decision, append
from purposely.errors import InputError, UnknownSubjectError
from purposely.gate import Gate
from purposely.ingest.jsonl import ingest_jsonl
from purposely.ingest.report import ImportReport
from purposely.ingest.x_archive import (
    DELETED,
    DM_HEADERS,
    INFERRED_AGE,
    MEDIA,
    MISSING,
    NOT_DATA,
    NOT_USED,
    README,
    RETWEET,
    TURNED_OFF,
    ingest_x_archive,
)
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import Record, Subject
from tests.factories import subject as subject_line
from tests.factories import write_jsonl

OWNER = "1001"
OWNER_ID = f"x:{OWNER}"

# --- factories: archives as X writes them ---------------------------------------------------


def js(name: str, content: Any) -> str:
    """``content`` as X writes the data file ``name``: ``window.YTD.<type>.partN = `` + JSON."""
    if name == "manifest.js":  # real archives name the manifest's global like this
        return "window.__THAR_CONFIG = " + json.dumps(content, indent=2)
    match = re.match(r"^(.+?)(?:-part(\d+))?\.js$", name)
    assert match is not None
    kind, part = match[1].replace("-", "_"), match[2] or "0"
    return f"window.YTD.{kind}.part{part} = " + json.dumps(content, indent=2)


def write_archive(folder: Path, files: Mapping[str, Any], *, data_dir: bool = True) -> Path:
    """A folder holding ``files``: data files (Python objects, or raw text for broken input)
    go under ``data/`` unless ``data_dir`` is false; names with a ``/`` are taken as given."""
    data = folder / "data" if data_dir else folder
    for name, content in files.items():
        target = folder / name if "/" in name else data / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content if isinstance(content, str) else js(name, content))
    return folder


def zip_folder(folder: Path, target: Path) -> Path:
    """The folder as a ZIP file, as X delivers archives."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return target


def account(account_id: str = OWNER, username: str = "alice", **fields: Any) -> list[Any]:
    """account.js with one account."""
    body = {
        "accountId": account_id,
        "username": username,
        "email": "alice@example.org",
        "createdVia": "web",
        "createdAt": "2012-03-04T05:06:07.000Z",
        "accountDisplayName": "Alice Example",
        **fields,
    }
    return [{"account": body}]


def manifest(generated: str = "2024-06-01T12:00:00.000Z", **data_types: Any) -> dict[str, Any]:
    """manifest.js naming the owner, the generation date and ``data_types``."""
    return {
        "userInfo": {"accountId": OWNER, "userName": "alice", "displayName": "Alice"},
        "archiveInfo": {"generationDate": generated, "isPartialArchive": False},
        "dataTypes": {
            kind: {
                "files": [
                    {"fileName": f"data/{name}", "globalName": "YTD.x.part0", "count": str(count)}
                ]
            }
            for kind, (name, count) in data_types.items()
        },
    }


def tweet(tweet_id: str, text: str = "Guten Morgen", **fields: Any) -> dict[str, Any]:
    """A record of tweets.js."""
    body = {
        "id_str": tweet_id,
        "id": tweet_id,
        "full_text": text,
        "lang": "de",
        "created_at": "Sat Feb 18 19:45:15 +0000 2023",
        "retweeted": False,
        **fields,
    }
    return {"tweet": body}


def conversation(conversation_id: str, *events: dict[str, Any]) -> dict[str, Any]:
    """A record of direct-messages.js or direct-messages-group.js."""
    return {"dmConversation": {"conversationId": conversation_id, "messages": list(events)}}


def message(
    message_id: str, sender: str, recipient: str | None = None, text: str = "hallo", **fields: Any
) -> dict[str, Any]:
    """A messageCreate event; group messages have no recipient."""
    body = {
        "id": message_id,
        "senderId": sender,
        "text": text,
        "createdAt": "2023-05-01T10:00:00.000Z",
        "mediaUrls": [],
        "urls": [],
        **fields,
    }
    if recipient is not None:
        body["recipientId"] = recipient
    return {"messageCreate": body}


def ageinfo(birth_date: str = "", *ages: str) -> list[Any]:
    """ageinfo.js: what the member told X about their age."""
    return [{"ageMeta": {"ageInfo": {"age": list(ages), "birthDate": birth_date}}}]


def protected_history(*actions: tuple[str, str]) -> list[Any]:
    """protected-history.js from (time, action) pairs."""
    return [{"protectedHistory": {"protectedAt": at, "action": act}} for at, act in actions]


# --- helpers ---------------------------------------------------------------------------------


def stored(store: Store) -> list[tuple[Any, ...]]:
    """Every record with its subject id, without write times: what an import leaves."""
    r, s = Record.__table__, Subject.__table__
    query = (
        select(
            s.c.id,
            r.c.source,
            r.c.source_id,
            r.c.kind,
            r.c.category,
            r.c.text,
            r.c.data,
            r.c.lang,
            r.c.created_at,
        )
        .join(s, s.c.pk == r.c.subject_pk)
        .order_by(r.c.source_id)
    )
    with store.read() as conn:
        return [tuple(row) for row in conn.execute(query)]


def subjects(store: Store) -> list[tuple[Any, ...]]:
    """Every subject, without write times."""
    s = Subject.__table__
    query = select(
        s.c.id, s.c.handle, s.c.birth_date, s.c.born_no_later_than, s.c.country, s.c.source
    ).order_by(s.c.id)
    with store.read() as conn:
        return [tuple(row) for row in conn.execute(query)]


def counts(store: Store) -> tuple[int, int]:
    """(subjects, records) in the store."""
    with store.read() as conn:
        return (
            int(conn.scalar(select(func.count()).select_from(Subject.__table__)) or 0),
            int(conn.scalar(select(func.count()).select_from(Record.__table__)) or 0),
        )


def by_category(store: Store) -> dict[str, int]:
    """Stored records per category."""
    r = Record.__table__
    with store.read() as conn:
        rows = conn.execute(select(r.c.category, func.count()).group_by(r.c.category))
        return {category: int(n) for category, n in rows}


def record(store: Store, source_id: str) -> dict[str, Any]:
    """One record by its id as the source gave it."""
    r = Record.__table__
    with store.read() as conn:
        row = conn.execute(select(r).where(r.c.source_id == source_id)).mappings().one()
    return dict(row)


def note(report: ImportReport, name: str) -> dict[str, Any]:
    """The report's note for the file ``name``."""
    found = [n.as_dict() for n in report.files if n.name == name]
    assert found, f"no note for {name}: {[n.name for n in report.files]}"
    return found[0]


def grant(store: Store, policy: Policy, subject_id: str, purpose: str = "train_ai_system") -> None:
    """The subject opts in to ``purpose``."""
    decision = ConsentDecision(
        store.pseudonym(subject_id),
        purpose,
        Decision.GRANT,
        datetime(2024, 1, 1, tzinfo=UTC),
        "v1",
        "test",
        None,
    )
    with store.write() as conn:
        append(conn, policy, [decision])


def import_subject(store: Store, policy: Policy, tmp_path: Path, **fields: Any) -> None:
    """A subject ``u1`` from the platform (a JSONL import)."""
    path = write_jsonl(tmp_path / "subjects.jsonl", [subject_line("u1", **fields)])
    ingest_jsonl(store, policy, path)


# --- the shared real archives ----------------------------------------------------------------


def test_mock_archive_is_filed_under_the_subject_given(
    store: Store, policy: Policy, shared_data: Path, tmp_path: Path
) -> None:
    import_subject(store, policy, tmp_path, handle="genesis", country="PT")
    report = ingest_x_archive(store, policy, shared_data / "x-archive-mock", subject="u1")

    assert by_category(store) == {
        "user.content.public": 7,
        "user.demographic.profile": 1,
        "user.location.imprecise": 1,
        "user.contact.url": 1,
    }
    # The platform's subject keeps its handle, birth date and country.
    assert subjects(store) == [("u1", "genesis", "1990-04-01", date(1990, 4, 1), "PT", "jsonl")]
    reply = record(store, "1627031510963441664")
    assert reply["kind"] == "post" and reply["lang"] == "en"
    assert reply["text"].startswith("Another lesson is: there's a lot of trash")
    assert reply["created_at"] == datetime(2023, 2, 18, 19, 45, 15, tzinfo=UTC)
    assert reply["data"]["in_reply_to_status_id"] == "1627019761950375936"
    assert record(store, "profile:u1:location")["data"] == {"location": "Porto, Portugal"}
    assert note(report, "follower.js")["skipped"] == {NOT_USED: 3}
    assert note(report, "README.txt")["skipped"] == {README: 1}
    assert sum(note(report, "profile.js")["skipped"].values()) == 2  # avatar and header


def test_mock_archive_without_a_subject_says_to_pass_one(
    store: Store, policy: Policy, shared_data: Path
) -> None:
    with pytest.raises(InputError, match="pass --subject"):
        ingest_x_archive(store, policy, shared_data / "x-archive-mock")
    assert counts(store) == (0, 0)


def test_an_unknown_subject_for_an_ownerless_archive_is_refused(
    sqlite_store: Store, policy: Policy, shared_data: Path
) -> None:
    with pytest.raises(InputError, match="no subject 'nobody' in the store"):
        ingest_x_archive(sqlite_store, policy, shared_data / "x-archive-mock", subject="nobody")
    with pytest.raises(UnknownSubjectError):
        ingest_x_archive(sqlite_store, policy, shared_data / "x-archive-mock", subject="@nobody")
    assert counts(sqlite_store) == (0, 0)


def test_small_archive_in_the_older_layout(store: Store, policy: Policy, shared_data: Path) -> None:
    report = ingest_x_archive(store, policy, shared_data / "x-archive-small")

    assert subjects(store) == [("x:12497", "simonw", None, None, None, "x-archive")]
    assert record(store, "account:12497:email")["data"] == {"email": "swillison@example.com"}
    phone = record(store, "account:12497:phone_number")
    assert phone["category"] == "user.contact.phone_number"
    assert record(store, "account:12497:display_name")["category"] == "user.name"
    assert report.records == 3
    # Every file met is in the report, the unused ones with the reason.
    assert {n.name for n in report.files} == {
        "account.js",
        "account-suspension.js",
        "app.js",
        "follower.js",
        "following.js",
        "saved-search.js",
    }
    for name, n in (("follower.js", 2), ("following.js", 2), ("saved-search.js", 2)):
        assert note(report, name)["skipped"] == {NOT_USED: n}
    assert note(report, "account-suspension.js")["note"] == NOT_USED  # empty: a note says why
    assert "createdAt" in next(iter(note(report, "account.js")["skipped"]))


def test_synthetic_archive_messages_are_private_and_used_by_nothing(
    store: Store, policy: Policy, shared_data: Path
) -> None:
    report = ingest_x_archive(store, policy, shared_data / "x-archive-synthetic")

    assert by_category(store) == {"user.content.private.message": 2000}
    assert subjects(store) == [("x:123456789", "perf_test_user", None, None, None, "x-archive")]
    first = record(store, "4000000000000")
    assert first["kind"] == "message" and first["text"] == "Hey! meeting tomorrow"
    assert first["data"] == {
        "conversation_id": "3000000000000",
        "group": False,
        "sender_id": "100000",
        "recipient_id": "200000",
    }
    assert first["created_at"] == datetime(2021, 1, 2, 9, tzinfo=UTC)
    # tweets.js is listed in manifest.js but not included: a note, not a failure.
    assert note(report, "data/tweets.js") == {
        "file": "data/tweets.js",
        "stored": {},
        "skipped": {MISSING: 10000},
        "note": None,
    }
    assert note(report, "like.js")["skipped"] == {NOT_USED: 5000}
    assert note(report, "grok-chat-item.js")["skipped"] == {NOT_USED: 500}

    answer = Gate(store, policy).ask("train_ai_system", caller="t")
    assert answer.records_allowed == 0
    assert answer.withheld == {"private": 2000}


# --- archives built here --------------------------------------------------------------------


def basic_archive(tmp_path: Path, **files: Any) -> Path:
    """A small archive of the current layout with an owner; ``files`` add or replace files."""
    content: dict[str, Any] = {
        "manifest.js": manifest(tweets=("tweets.js", 2)),
        "account.js": account(),
        "tweets.js": [tweet("11", "Erster &amp; bester Beitrag"), tweet("12")],
    }
    content.update({name.replace("_", "-") + ".js": value for name, value in files.items()})
    return write_archive(tmp_path / "archive", content)


def test_split_tweet_parts_and_retweets(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    folder = write_archive(
        tmp_path / "a",
        {
            "account.js": account(),
            "tweets-part1.js": [tweet("1"), tweet("2", "RT @bob: seine Worte")],
            "tweets-part2.js": [tweet("3", retweeted_status={"id_str": "9"}), tweet("4")],
        },
    )
    report = ingest_x_archive(sqlite_store, policy, folder)

    assert [r[2] for r in stored(sqlite_store) if r[3] == "post"] == ["1", "4"]
    assert note(report, "data/tweets-part1.js")["skipped"] == {RETWEET: 1}
    assert note(report, "data/tweets-part2.js")["skipped"] == {RETWEET: 1}
    assert report.stored["user.content.public"] == 2


def test_old_tweet_js_name_and_bare_tweets(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    bare = tweet("21", "aus alter Zeit")["tweet"]  # older archives do not wrap each tweet
    folder = write_archive(tmp_path / "a", {"account.js": account(), "tweet.js": [bare]})
    ingest_x_archive(sqlite_store, policy, folder)

    post = record(sqlite_store, "21")
    assert (post["category"], post["text"]) == ("user.content.public", "aus alter Zeit")
    assert (folder / "data" / "tweet.js").read_text().startswith("window.YTD.tweet.part0 = ")


def test_post_fields_and_html_entities(sqlite_store: Store, policy: Policy, tmp_path: Path) -> None:
    ingest_x_archive(sqlite_store, policy, basic_archive(tmp_path))
    post = record(sqlite_store, "11")
    assert post["text"] == "Erster & bester Beitrag"
    assert post["data"] == {"visibility": "public", "audience": "everyone"}
    assert post["lang"] == "de"


@pytest.mark.parametrize(
    ("history", "category"),
    [
        (
            [("2023-01-01T00:00:00.000Z", "Unprotect"), ("2023-06-01T00:00:00.000Z", "Protect")],
            "user.content.private",
        ),
        (
            [("2023-06-01T00:00:00.000Z", "Unprotect"), ("2023-01-01T00:00:00.000Z", "Protect")],
            "user.content.public",
        ),
    ],
)
def test_a_protected_account_has_private_posts(
    store: Store, policy: Policy, tmp_path: Path, history: list[tuple[str, str]], category: str
) -> None:
    folder = basic_archive(
        tmp_path, protected_history=protected_history(*history), ageinfo=ageinfo("1980-01-01")
    )
    ingest_x_archive(store, policy, folder)
    assert by_category(store)[category] == 2
    grant(store, policy, OWNER_ID)
    answer = Gate(store, policy).ask("train_ai_system", caller="t")
    if category == "user.content.private":
        assert answer.records_allowed == 0 and answer.withheld["private"] == 2
    else:
        assert answer.allowed == {"user.content.public": 2}


def test_circle_tweets_are_private(sqlite_store: Store, policy: Policy, tmp_path: Path) -> None:
    folder = basic_archive(tmp_path, twitter_circle_tweet=[tweet("31", "nur für den Kreis")])
    ingest_x_archive(sqlite_store, policy, folder)
    post = record(sqlite_store, "31")
    assert post["category"] == "user.content.private"
    assert post["data"]["audience"] == "circle"


def test_group_messages_and_their_events(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    reaction = {
        "senderId": "2002",
        "reactionKey": "like",
        "eventId": "e1",
        "createdAt": "2023-05-01T10:01:00.000Z",
    }
    group = conversation(
        "g-1",
        message("m2", "2002", text="Wer kommt mit?", reactions=[reaction]),
        message("m1", OWNER, text="Ich!"),
        {"participantsLeave": {"userIds": ["2003"], "createdAt": "2023-04-30T00:00:00.000Z"}},
        {
            "participantsJoin": {
                "initiatingUserId": OWNER,
                "userIds": ["2003"],
                "createdAt": "2023-04-29T00:00:00.000Z",
            }
        },
        {
            "conversationNameUpdate": {
                "initiatingUserId": OWNER,
                "name": "Ausflug",
                "createdAt": "2023-04-28T00:00:00.000Z",
            }
        },
        {
            "joinConversation": {
                "initiatingUserId": OWNER,
                "participantsSnapshot": [OWNER, "2002"],
                "createdAt": "2023-04-27T00:00:00.000Z",
            }
        },
    )
    folder = basic_archive(
        tmp_path,
        direct_messages=[conversation("1001-2002", message("m0", OWNER, "2002"))],
        direct_messages_group=[group],
        direct_message_group_headers=[conversation("g-1", {"messageCreate": {"id": "m1"}})],
    )
    report = ingest_x_archive(sqlite_store, policy, folder)

    assert by_category(sqlite_store)["user.content.private.message"] == 3
    m2 = record(sqlite_store, "m2")
    assert (m2["kind"], m2["text"]) == ("message", "Wer kommt mit?")
    assert m2["data"] == {"conversation_id": "g-1", "group": True, "sender_id": "2002"}
    skipped = note(report, "data/direct-messages-group.js")["skipped"]
    assert skipped == {
        "joinConversation: a conversation event, not a message": 1,
        "participantsJoin: a conversation event, not a message": 1,
        "participantsLeave: a conversation event, not a message": 1,
        "conversationNameUpdate: a conversation event, not a message": 1,
        "reactions to messages: not stored": 1,
    }
    assert note(report, "data/direct-message-group-headers.js")["skipped"] == {DM_HEADERS: 1}


@pytest.mark.parametrize(
    ("age", "born_no_later_than", "category", "reason"),
    [
        (ageinfo("2015-05-17"), date(2015, 5, 17), "user.demographic.date_of_birth", "minor"),
        # 13 at the archive's generation date: possibly a minor still
        (ageinfo("", "13-54"), date(2011, 6, 1), "user.demographic.age_range", "minor"),
        (ageinfo("1990-04-01", "34"), date(1990, 4, 1), "user.demographic.date_of_birth", None),
    ],
)
def test_age_decides_whether_posts_may_train_ai(
    store: Store,
    policy: Policy,
    tmp_path: Path,
    age: list[Any],
    born_no_later_than: date,
    category: str,
    reason: str | None,
) -> None:
    ingest_x_archive(store, policy, basic_archive(tmp_path, ageinfo=age))
    assert subjects(store)[0][3] == born_no_later_than
    assert by_category(store)[category] == 1  # the member's access report will show it

    grant(store, policy, OWNER_ID)
    answer = Gate(store, policy).ask("train_ai_system", caller="t")
    if reason is None:
        assert answer.allowed == {"user.content.public": 2}
    else:
        assert answer.records_allowed == 0 and answer.withheld[reason] == 2


def personalization(inferred_age: str = "13-54") -> list[Any]:
    """personalization.js: what X inferred about the member."""
    return [
        {
            "p13nData": {
                "demographics": {
                    "languages": [
                        {"language": "German", "isDisabled": False},
                        {"language": "Welsh", "isDisabled": True},
                    ],
                    "genderInfo": {"gender": "female"},
                },
                "interests": {
                    "interests": [
                        {"name": "Hiking", "isDisabled": False},
                        {"name": "Cars", "isDisabled": True},
                    ],
                    "partnerInterests": [],
                    "audienceAndAdvertisers": {
                        "advertisers": ["@shop"],
                        "numAudiences": "1",
                        "lookalikeAdvertisers": ["@a", "@b"],
                    },
                    "shows": ["Tatort"],
                },
                "locationHistory": ["Berlin, Germany"],
                "inferredAgeInfo": {"age": [inferred_age], "birthDate": ""},
            }
        }
    ]


def test_personalization_stores_inferences_and_skips_advertising(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    report = ingest_x_archive(
        sqlite_store, policy, basic_archive(tmp_path, personalization=personalization())
    )
    assert record(sqlite_store, f"personalization:{OWNER}:languages")["data"] == {
        "languages": ["German"],
        "inferred": True,
    }
    assert (
        record(sqlite_store, f"personalization:{OWNER}:gender")["category"]
        == "user.demographic.gender"
    )
    interests = record(sqlite_store, f"personalization:{OWNER}:interests")
    assert (interests["category"], interests["data"]["interests"]) == (
        "user.demographic.profile",
        ["Hiking"],
    )
    # With no ageinfo.js, X's inferred age range bounds the age: 13 at the archive's date.
    assert subjects(sqlite_store)[0][3] == date(2011, 6, 1)
    assert record(sqlite_store, f"age:{OWNER}:inferred_age")["data"]["inferred"] is True
    skipped = note(report, "data/personalization.js")["skipped"]
    assert skipped[TURNED_OFF] == 2
    assert sum(skipped.values()) == 2 + 3 + 1 + 1  # turned off, advertisers, shows, locations


def test_the_members_own_age_outranks_the_inferred_one(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    folder = basic_archive(
        tmp_path, ageinfo=ageinfo("1980-02-03"), personalization=personalization("13-54")
    )
    report = ingest_x_archive(sqlite_store, policy, folder)
    assert subjects(sqlite_store)[0][2:4] == ("1980-02-03", date(1980, 2, 3))
    assert note(report, "data/personalization.js")["skipped"][INFERRED_AGE] == 1
    assert f"age:{OWNER}:inferred_age" not in {r[2] for r in stored(sqlite_store)}


def test_phone_number_and_profile(sqlite_store: Store, policy: Policy, tmp_path: Path) -> None:
    profile = [
        {
            "profile": {
                "description": {"bio": "Wandern und Daten", "website": "", "location": " Köln "},
                "avatarMediaUrl": "https://pbs.twimg.com/a.jpg",
            }
        }
    ]
    folder = basic_archive(
        tmp_path, phone_number=[{"device": {"phoneNumber": "+4915112345678"}}], profile=profile
    )
    report = ingest_x_archive(sqlite_store, policy, folder)
    assert record(sqlite_store, f"account:{OWNER}:phone_number")["data"] == {
        "phone_number": "+4915112345678"
    }
    assert record(sqlite_store, f"profile:{OWNER}:bio")["text"] == "Wandern und Daten"
    assert record(sqlite_store, f"profile:{OWNER}:location")["data"] == {"location": "Köln"}
    assert note(report, "data/profile.js")["stored"] == {
        "user.demographic.profile": 1,
        "user.location.imprecise": 1,
    }


def test_deleted_posts_media_and_viewer_files_are_noted_not_stored(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    folder = basic_archive(
        tmp_path,
        deleted_tweets=[tweet("41", "bereut")],
        like=[{"like": {"tweetId": "7", "fullText": "fremd"}}],
    )
    write_archive(
        folder,
        {
            "data/tweets_media/11-a.jpg": b"\xff\xd8",
            "data/tweets_media/12-b.jpg": b"\xff\xd8",
            "assets/js/main.js": "console.log(1)",
        },
    )
    (folder / "Your archive.html").write_text("<html></html>")
    report = ingest_x_archive(sqlite_store, policy, folder)

    assert "41" not in {r[2] for r in stored(sqlite_store)}
    assert note(report, "data/deleted-tweets.js")["skipped"] == {DELETED: 1}
    assert note(report, "data/like.js")["skipped"] == {NOT_USED: 1}
    assert note(report, "data/tweets_media/")["skipped"] == {MEDIA: 2}
    assert note(report, "assets/")["skipped"] == {NOT_DATA: 1}
    assert note(report, "Your archive.html")["skipped"] == {NOT_DATA: 1}


def test_a_post_deleted_since_an_earlier_import_is_removed(
    store: Store, policy: Policy, tmp_path: Path
) -> None:
    ingest_x_archive(store, policy, basic_archive(tmp_path / "before"))
    later = basic_archive(tmp_path / "after", tweets=[tweet("12")], deleted_tweets=[tweet("11")])
    report = ingest_x_archive(store, policy, later)
    assert {r[2] for r in stored(store) if r[3] == "post"} == {"12"}
    assert report.deleted == 1


def test_zip_and_folder_give_the_same_result(policy: Policy, tmp_path: Path) -> None:
    folder = basic_archive(
        tmp_path,
        ageinfo=ageinfo("1985-07-01"),
        direct_messages=[conversation("c", message("m0", OWNER, "2"))],
    )
    archive = zip_folder(folder, tmp_path / "archive.zip")
    from_folder = Store.init(f"sqlite:///{tmp_path / 'folder.db'}")
    from_zip = Store.init(f"sqlite:///{tmp_path / 'zip.db'}")

    folder_report = ingest_x_archive(from_folder, policy, folder)
    zip_report = ingest_x_archive(from_zip, policy, archive)

    assert stored(from_zip) == stored(from_folder) and len(stored(from_zip)) > 0
    assert subjects(from_zip) == subjects(from_folder)
    assert [n.as_dict() for n in zip_report.files] == [n.as_dict() for n in folder_report.files]


def test_flat_folder_and_zip_of_a_folder(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    flat = write_archive(
        tmp_path / "flat", {"account.js": account(), "tweets.js": [tweet("5")]}, data_dir=False
    )
    nested = zip_folder(basic_archive(tmp_path), tmp_path / "nested.zip")
    repacked = tmp_path / "repacked.zip"  # a folder zipped by hand: everything one level down
    with zipfile.ZipFile(nested) as src, zipfile.ZipFile(repacked, "w") as dst:
        for name in src.namelist():
            dst.writestr(f"twitter-2024/{name}", src.read(name))
    ingest_x_archive(sqlite_store, policy, flat)
    ingest_x_archive(sqlite_store, policy, repacked)
    assert {r[2] for r in stored(sqlite_store) if r[3] == "post"} == {"5", "11", "12"}


def test_reimport_is_idempotent(store: Store, policy: Policy, tmp_path: Path) -> None:
    folder = basic_archive(
        tmp_path,
        ageinfo=ageinfo("", "25-34"),
        personalization=personalization(),
        direct_messages=[conversation("c", message("m0", OWNER, "2"))],
    )
    first = ingest_x_archive(store, policy, folder)
    before = (stored(store), subjects(store))
    second = ingest_x_archive(store, policy, folder)
    assert (stored(store), subjects(store)) == before
    assert second.stored == first.stored


def test_a_new_subject_id_given_is_created_from_the_archive(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    ingest_x_archive(sqlite_store, policy, basic_archive(tmp_path), subject="member-7")
    assert subjects(sqlite_store) == [("member-7", "alice", None, None, None, "x-archive")]
    assert (
        record(sqlite_store, "11")["subject_pk"]
        == record(sqlite_store, f"account:{OWNER}:email")["subject_pk"]
    )


def test_a_subject_named_by_handle(sqlite_store: Store, policy: Policy, tmp_path: Path) -> None:
    import_subject(sqlite_store, policy, tmp_path, handle="ally")
    ingest_x_archive(sqlite_store, policy, basic_archive(tmp_path), subject="@ally")
    assert {row[0] for row in stored(sqlite_store)} == {"u1"}
    assert subjects(sqlite_store)[0][:2] == ("u1", "ally")


def test_progress_counts_the_archive_once(policy: Policy, tmp_path: Path) -> None:
    folder = basic_archive(tmp_path, like=[{"like": {"tweetId": "7"}}])
    write_archive(folder, {"data/tweets_media/1.jpg": b"x" * 1000})
    archive = zip_folder(folder, tmp_path / "a.zip")
    for path, total in (
        (folder, sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())),
        (archive, archive.stat().st_size),  # what the CLI's progress bar counts
    ):
        seen: list[int] = []
        store = Store.init(f"sqlite:///{tmp_path / (path.name + '.db')}")
        ingest_x_archive(store, policy, path, seen.append)
        assert sum(seen) == total and all(n > 0 for n in seen)


# --- bad input: one line naming file and record, nothing stored --------------------------------


def _truncated(tmp_path: Path) -> tuple[Path, str]:
    text = js("tweets.js", [tweet("1"), tweet("2"), tweet("3")])
    folder = basic_archive(tmp_path, tweets=text[: text.index('"id_str": "3"') + 5])
    return zip_folder(folder, tmp_path / "a.zip"), ":data/tweets.js: record 3: the JSON is cut off"


def _missing_id(tmp_path: Path) -> tuple[Path, str]:
    broken = tweet("3")
    del broken["tweet"]["id_str"]
    folder = basic_archive(tmp_path, tweets=[tweet("1"), tweet("2"), broken])
    expected = ':data/tweets.js: record 3: tweet has no "id_str"'
    return zip_folder(folder, tmp_path / "a.zip"), expected


def _no_prefix(tmp_path: Path) -> tuple[Path, str]:
    folder = basic_archive(tmp_path, tweets=json.dumps([tweet("1")]))
    return folder, "data/tweets.js: does not start with `window.YTD.<type>.partN = `"


def _text_after(tmp_path: Path) -> tuple[Path, str]:
    folder = basic_archive(tmp_path, tweets=js("tweets.js", [tweet("1")]) + "; extra")
    return folder, "data/tweets.js: after record 1: unexpected text after the JSON"


def _not_an_array(tmp_path: Path) -> tuple[Path, str]:
    folder = basic_archive(tmp_path, tweets=js("tweets.js", {"tweet": {}}))
    return folder, "data/tweets.js: expected an array after the `=` of the prefix, found '{'"


def _bad_time(tmp_path: Path) -> tuple[Path, str]:
    folder = basic_archive(tmp_path, tweets=[tweet("1", created_at="2023-02-18")])
    return folder, "data/tweets.js: record 1: tweet created_at '2023-02-18' is not a time"


def _bad_message(tmp_path: Path) -> tuple[Path, str]:
    broken = message("m1", "2")
    del broken["messageCreate"]["createdAt"]
    conversations = [conversation("c", message("m0", "2"), broken)]
    folder = basic_archive(tmp_path, direct_messages=conversations)
    return folder, 'data/direct-messages.js: record 1: message 2: messageCreate has no "createdAt"'


def _no_owner(tmp_path: Path) -> tuple[Path, str]:
    folder = write_archive(tmp_path / "a", {"tweets.js": [tweet("1")]})
    return (
        folder,
        "does not say whose it is (no account.js, and no userInfo in manifest.js): "
        "pass --subject ID",
    )


def _not_a_zip(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "archive.txt"
    path.write_text("just text")
    return path, "archive.txt: not a ZIP archive or a folder"


def _damaged_zip(tmp_path: Path) -> tuple[Path, str]:
    archive = zip_folder(basic_archive(tmp_path), tmp_path / "a.zip")
    archive.write_bytes(archive.read_bytes()[:-40])  # the central directory is cut off
    return archive, "a.zip: damaged ZIP archive"


def _two_owners(tmp_path: Path) -> tuple[Path, str]:
    folder = basic_archive(tmp_path, account=account("2002"))
    return folder, "data/account.js: record 1: account 2002 is not the account 1001"


BAD_INPUTS = {
    "truncated JSON": _truncated,
    "missing required field": _missing_id,
    "missing prefix": _no_prefix,
    "text after the JSON": _text_after,
    "not an array": _not_an_array,
    "bad tweet time": _bad_time,
    "bad message": _bad_message,
    "no owner": _no_owner,
    "not a ZIP": _not_a_zip,
    "damaged ZIP": _damaged_zip,
    "two owners": _two_owners,
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_clear_error_and_stores_nothing(
    store: Store, policy: Policy, tmp_path: Path, case: str
) -> None:
    path, expected = BAD_INPUTS[case](tmp_path)
    with pytest.raises(InputError) as caught:
        ingest_x_archive(store, policy, path)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)
    assert counts(store) == (0, 0)


@pytest.mark.parametrize(
    "case", ["truncated JSON", "missing required field", "no owner", "not a ZIP"]
)
def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, case: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    path, expected = BAD_INPUTS[case](tmp_path)

    result = runner.invoke(app, ["ingest", "x-archive", str(path)])

    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert counts(Store.open()) == (0, 0)


# The CLI in a child process whose address space is capped at 1 GB: a reader whose memory
# grows with nesting depth dies there of MemoryError (exit 1), not by taking the machine.
LIMITED_CLI = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from purposely.cli import main
sys.argv[0] = "purposely"
main()
"""


def test_cli_refuses_a_deeply_nested_file_in_little_memory(tmp_path: Path) -> None:
    pytest.importorskip("resource")
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    # 200 kB that ijson.items would need more than 3 GB for
    tweets = "window.YTD.tweets.part0 = [" + "[" * 100_000 + "]" * 100_000 + "]"
    zip_folder(basic_archive(tmp_path, tweets=tweets), tmp_path / "deep.zip")

    result = subprocess.run(
        [sys.executable, "-c", LIMITED_CLI, "ingest", "x-archive", "deep.zip"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "error: deep.zip:data/tweets.js: record 1: nested more than 64 levels deep"
    ]
    assert counts(Store.open()) == (0, 0)


def test_cli_imports_and_reports_as_json(tmp_path: Path, shared_data: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(
        app, ["ingest", "x-archive", str(shared_data / "x-archive-small"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["records"] == 3 and report["subjects"] == 1


# --- a large tweets.js is streamed, never read whole ---------------------------------------------


def test_a_large_tweets_file_is_streamed(
    sqlite_store: Store, policy: Policy, tmp_path: Path
) -> None:
    folder = tmp_path / "big"
    write_archive(folder, {"account.js": account()})
    padding = "x" * 2000  # fields the importer ignores make the file large, as media do
    with (folder / "data" / "tweets.js").open("w") as out:
        out.write("window.YTD.tweets.part0 = [\n")
        for n in range(20_000):
            item = tweet(str(n), f"Beitrag Nummer {n}", source=padding)
            out.write(("," if n else "") + json.dumps(item) + "\n")
        out.write("]\n")
    archive = zip_folder(folder, tmp_path / "big.zip")
    size = (folder / "data" / "tweets.js").stat().st_size

    tracemalloc.start()
    try:
        report = ingest_x_archive(sqlite_store, policy, archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert report.stored["user.content.public"] == 20_000
    assert size > 40_000_000
    assert peak < size / 4, f"peak {peak:,} bytes for a {size:,}-byte tweets.js"
