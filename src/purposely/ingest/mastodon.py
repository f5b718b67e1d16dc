"""Import a Mastodon export: the account's profile and every status it wrote.

An export is a ZIP (current Mastodon), a ``.tar.gz`` (older Mastodon) or the folder either
unpacks to. It holds ``actor.json`` (the ActivityStreams actor: the profile) and
``outbox.json`` (an OrderedCollection of ``Create`` and ``Announce`` activities), beside
likes, bookmarks and media files.

The outbox has no visibility field: a status's visibility, and so its data category, is read
from its addressing (see :func:`visibility_of`). Direct statuses become messages, which no
purpose uses. Boosts are other people's posts and are skipped; so are likes, bookmarks,
media and pictures, which no purpose uses (data minimisation). The report names every file
and every kind of item that was skipped, and why.

The outbox is streamed item by item (see :mod:`purposely.ingest.json_stream`), never loaded
whole, with nesting depth capped; everything is written in one transaction: a bad item fails
the import with ``EXPORT/outbox.json: item N: what is wrong`` and nothing of the export is
stored.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from purposely.errors import InputError
from purposely.ingest.archive import Archive, Progress, open_archive
from purposely.ingest.fields import post_category
from purposely.ingest.html_text import html_links, html_to_text
from purposely.ingest.json_stream import (
    BrokenJSONError,
    JSONStreamError,
    ShapeError,
    items,
    read_object,
)
from purposely.ingest.report import FileNote, ImportReport
from purposely.ingest.writer import RecordRow, SubjectRow, Writer
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.subjects import find_subject
from purposely.taxonomy import MESSAGE

SOURCE = "mastodon"
OUTBOX = "outbox.json"
ACTOR = "actor.json"
Visibility = Literal["public", "unlisted", "followers", "direct"]

# The Public collection, in the three spellings ActivityPub servers use.
PUBLIC = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"})
_ACTOR_TYPES = frozenset({"Person", "Service", "Application", "Group", "Organization"})
# Mastodon writes a status as a Note, or as a Question when it carries a poll.
_STATUS_TYPES = frozenset({"Note", "Question"})
_MAX_ID = 255  # the store's id columns
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_UNUSED = "not used by any purpose (data minimisation)"

BOOST = "boost of another person's post"
# Files of an export that no purpose uses, by name (folders end with "/").
_FILE_REASONS = {
    "likes.json": f"posts by other people that the member favourited: {_UNUSED}",
    "bookmarks.json": f"posts by other people that the member bookmarked: {_UNUSED}",
    "media_attachments/": f"images, video and audio attached to posts: {_UNUSED}",
}
# actor.json fields that hold no personal data to use: addresses, keys, settings.
_ACTOR_PROTOCOL = frozenset(
    {
        "@context",
        "bookmarks",
        "devices",
        "endpoints",
        "featured",
        "featuredTags",
        "followers",
        "following",
        "inbox",
        "likes",
        "outbox",
        "publicKey",
        "sharedInbox",
    }
)
_ACTOR_READ = frozenset({"id", "type", "preferredUsername", "name", "summary", "url", "attachment"})


def ingest_mastodon(
    store: Store,
    policy: Policy,
    path: Path,
    progress: Progress | None = None,
    *,
    subject: str | None = None,
) -> ImportReport:
    """Import the Mastodon export at ``path`` in one transaction; report what was stored.

    The statuses and profile are filed under ``subject`` (an id, or ``@handle`` of a subject
    already in the store) if given, else under the actor's id URL. An existing subject keeps
    its handle, birth date and country. ``progress`` is told how many bytes were read.
    """
    report = ImportReport(source=str(path), format="mastodon")
    # Files are named EXPORT/NAME in messages and records, whatever holds them.
    with open_archive(path, progress, tar_gz=True) as export:
        layout = _find_layout(path, export.names)
        actor = _read_actor(export, layout.actor)
        with store.write() as conn:
            writer = Writer(conn, store, policy, report)
            subject_id = _file_subject(writer, actor, subject, report.file(ACTOR))
            _store_profile(writer, actor, subject_id, report.file(ACTOR))
            outbox = _Outbox(actor, subject_id, export.origin(layout.outbox))
            _store_outbox(writer, export, layout.outbox, outbox, report)
            writer.flush()
        _note_skipped_files(report, layout)
    return report


def visibility_of(to: Sequence[str], cc: Sequence[str], followers: str) -> Visibility:
    """A status's visibility from its addressing, as Mastodon encodes it.

    Public if the Public collection is in ``to``; unlisted if it is only in ``cc``;
    followers-only if the author's ``followers`` collection is addressed (mentions may be
    too); otherwise direct: only the actors named can see it.
    """
    if PUBLIC.intersection(to):
        return "public"
    if PUBLIC.intersection(cc):
        return "unlisted"
    if followers in to or followers in cc:
        return "followers"
    return "direct"


# --- which files are there -------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where outbox.json and actor.json are, and every other file."""

    root: str
    outbox: str
    actor: str
    others: list[str]


def _find_layout(path: Path, names: Sequence[str]) -> _Layout:
    # Some people zip the folder rather than its contents: take the shallowest outbox.json
    # as the export's root, and expect actor.json beside it.
    outboxes = sorted(
        (n for n in names if posixpath.basename(n) == OUTBOX), key=lambda n: (n.count("/"), n)
    )
    if not outboxes:
        raise InputError(
            f"{path}: no {OUTBOX}: not a Mastodon export (it holds {OUTBOX} and {ACTOR})"
        )
    outbox = outboxes[0]
    root = outbox[: -len(OUTBOX)]
    actor = root + ACTOR
    if actor not in names:
        raise InputError(f"{path}: no {ACTOR} beside {outbox}: a Mastodon export holds both")
    others = sorted(set(names) - {outbox, actor})
    return _Layout(root, outbox, actor, others)


def _file_reason(key: str) -> str:
    """Why a file (or folder, ``key`` ending in ``/``) of the export is not read."""
    if key in _FILE_REASONS:
        return _FILE_REASONS[key]
    stem = posixpath.splitext(key)[0]
    if stem == "avatar":
        return f"profile picture: {_UNUSED}"
    if stem == "header":
        return f"profile header image: {_UNUSED}"
    if key.endswith(".csv"):
        return f"accounts the member follows, blocks or mutes, or lists: {_UNUSED}"
    return f"not part of a Mastodon export that purposely knows: {_UNUSED}"


def _note_skipped_files(report: ImportReport, layout: _Layout) -> None:
    """One note per skipped file; a folder's files (media) share one note, counted."""
    for name in layout.others:
        relative = name.removeprefix(layout.root)
        key = relative.split("/", 1)[0] + "/" if "/" in relative else relative
        note = report.file(key)
        note.skipped[_file_reason(key)] += 1
        note.note = "not read"


# --- actor.json: the subject and the profile -------------------------------------------------


@dataclass(frozen=True)
class _Actor:
    """The account that wrote the export."""

    id: str
    handle: str
    followers: str
    data: dict[str, Any]
    origin: str


def _read_actor(export: Archive, name: str) -> _Actor:
    origin = export.origin(name)
    with export.open(name) as stream:
        try:
            data = read_object(stream)
        except ShapeError as exc:
            raise InputError(f"{origin}: {exc}: not an ActivityStreams actor") from None
        except JSONStreamError as exc:
            raise InputError(f"{origin}: {_json_problem(exc, 'Mastodon actor')}") from None
    if data.get("type") not in _ACTOR_TYPES:
        raise InputError(
            f"{origin}: 'type' is {data.get('type')!r}, expected an actor such as 'Person'"
        )
    actor_id = _required_str(data, "id", origin)
    host = urlsplit(actor_id).hostname
    if host is None or len(actor_id) > _MAX_ID:
        raise InputError(f"{origin}: 'id' must be the account's URL: {actor_id!r}")
    username = _required_str(data, "preferredUsername", origin)
    if re.search(r"[\s@]", username):
        raise InputError(f"{origin}: 'preferredUsername' {username!r} is not a user name")
    followers = data.get("followers")
    if not isinstance(followers, str):
        followers = f"{actor_id}/followers"  # where Mastodon puts it
    return _Actor(actor_id, f"{username}@{host}", followers, data, origin)


def _required_str(data: dict[str, Any], key: str, origin: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{origin}: missing {key!r}")
    return value


def _optional_str(data: dict[str, Any], key: str, origin: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{origin}: {key!r} must be a string")
    return value


def _check_subject_id(subject_id: str) -> str:
    if not subject_id or len(subject_id) > _MAX_ID or re.search(r"\s", subject_id):
        raise InputError(f"subject id {subject_id!r}: use 1 to {_MAX_ID} characters without spaces")
    return subject_id


def _file_subject(writer: Writer, actor: _Actor, subject: str | None, note: FileNote) -> str:
    """The subject the export is filed under; created from the actor if the store lacks it."""
    if subject is not None and subject.startswith("@"):
        subject_id = find_subject(writer.conn, subject).id
    else:
        subject_id = _check_subject_id(subject if subject is not None else actor.id)
    if writer.subject_exists(subject_id):
        # Another source may know the birth date and country; the export knows neither.
        note.note = (
            f"subject {subject_id!r} already stored: its handle, birth date and country kept"
        )
        return subject_id
    writer.subject(
        SubjectRow(id=subject_id, source=SOURCE, origin=actor.origin, handle=actor.handle)
    )
    note.note = (
        f"new subject {subject_id!r} (@{actor.handle}): the export gives no birth date or "
        "country, so purposes that exclude minors leave it out until they are known"
    )
    return subject_id


def _store_profile(writer: Writer, actor: _Actor, subject_id: str, note: FileNote) -> None:
    """Name, description, links and profile fields; pictures and protocol data skipped."""
    rows = [*_name_and_summary(actor, subject_id, note), *_url_rows(actor, subject_id)]
    rows += _field_rows(actor, subject_id, note)
    for row in rows:
        writer.record(row)
        note.stored[row.category] += 1
    for key in sorted(set(actor.data) - _ACTOR_READ):
        if key == "icon":
            reason = f"profile picture: {_UNUSED}"
        elif key == "image":
            reason = f"profile header image: {_UNUSED}"
        elif key in _ACTOR_PROTOCOL:
            reason = "ActivityPub addresses and keys, not personal data to use"
        else:
            reason = _UNUSED
        note.skipped[f"{key}: {reason}"] += 1


def _profile_row(
    actor: _Actor,
    subject_id: str,
    part: str,
    category: str,
    text: str,
    data: dict[str, Any] | None = None,
) -> RecordRow:
    source_id = f"{actor.id}#{part}"
    if len(source_id) > _MAX_ID:  # a long profile field name: keep the id stable but short
        source_id = f"{actor.id}#{hashlib.sha1(part.encode()).hexdigest()}"[-_MAX_ID:]
    kind = "contact" if category == "user.contact.url" else "profile_field"
    return RecordRow(
        subject_id=subject_id,
        source=SOURCE,
        source_id=source_id,
        kind=kind,
        category=category,
        origin=actor.origin,
        text=text,
        data=data,
    )


def _name_and_summary(actor: _Actor, subject_id: str, note: FileNote) -> list[RecordRow]:
    rows = []
    name = (_optional_str(actor.data, "name", actor.origin) or "").strip()
    summary = html_to_text(_optional_str(actor.data, "summary", actor.origin) or "")
    if name:
        rows.append(_profile_row(actor, subject_id, "name", "user.name", name))
    elif "name" in actor.data:
        note.skipped["name: empty"] += 1
    if summary:
        rows.append(_profile_row(actor, subject_id, "summary", "user.demographic.profile", summary))
    elif "summary" in actor.data:
        note.skipped["summary: empty"] += 1
    return rows


def _url_rows(actor: _Actor, subject_id: str) -> list[RecordRow]:
    urls = [u for u in (_href(v) for v in _as_list(actor.data.get("url"))) if u]
    if not urls:
        return []
    text = "\n".join(urls)
    return [_profile_row(actor, subject_id, "url", "user.contact.url", text, {"urls": urls})]


def _href(value: Any) -> str | None:
    """A URL given as a string or as a Link object."""
    if isinstance(value, dict):
        value = value.get("href")
    return value if isinstance(value, str) and value.strip() else None


def _field_rows(actor: _Actor, subject_id: str, note: FileNote) -> list[RecordRow]:
    """Profile fields: those with links are contact URLs, the rest profile description."""
    rows = []
    for entry in _as_list(actor.data.get("attachment")):
        kind = entry.get("type") if isinstance(entry, dict) else type(entry).__name__
        if kind != "PropertyValue":
            note.skipped[f"attachment of type {kind}: {_UNUSED}"] += 1
            continue
        name = _optional_str(entry, "name", actor.origin) or ""
        value = _optional_str(entry, "value", actor.origin) or ""
        text, links = html_to_text(value), html_links(value)
        if not text:
            note.skipped["profile field: empty"] += 1
        elif links:
            data = {"field": name, "urls": links}
            rows.append(
                _profile_row(actor, subject_id, f"field:{name}", "user.contact.url", text, data)
            )
        else:
            text = f"{name}: {text}" if name else text
            rows.append(
                _profile_row(
                    actor,
                    subject_id,
                    f"field:{name}",
                    "user.demographic.profile",
                    text,
                    {"field": name},
                )
            )
    return rows


# --- outbox.json: the statuses ---------------------------------------------------------------


@dataclass(frozen=True)
class _Outbox:
    """What turning outbox items into records needs to know."""

    actor: _Actor
    subject_id: str
    label: str


def _store_outbox(
    writer: Writer, export: Archive, name: str, outbox: _Outbox, report: ImportReport
) -> None:
    note = report.file(OUTBOX)
    with export.open(name) as stream:
        try:
            for count, item in enumerate(items(stream, ("orderedItems",)), start=1):
                row = _item_row(item, count, outbox)
                if isinstance(row, str):
                    note.skipped[row] += 1
                    report.skipped[row] += 1
                    continue
                writer.record(row)
                note.stored[row.category] += 1
        except ShapeError as exc:
            raise InputError(
                f"{outbox.label}: {exc}: not an ActivityStreams OrderedCollection"
            ) from None
        except JSONStreamError as exc:
            problem = _json_problem(exc, "Mastodon outbox")
            raise InputError(f"{outbox.label}: item {exc.items_read + 1}: {problem}") from None


def _json_problem(exc: JSONStreamError, what: str) -> str:
    """Broken JSON (in yajl's words) or a value nested too deep for ``what``."""
    if isinstance(exc, BrokenJSONError):
        return f"not valid JSON ({exc.detail}): is the file complete?"
    return f"{exc}, which no {what} is"


def _item_row(item: Any, number: int, outbox: _Outbox) -> RecordRow | str:
    """The record an outbox item holds, or the reason it is skipped."""
    origin = f"{outbox.label}: item {number}"
    if not isinstance(item, dict):
        raise InputError(f"{origin}: expected a JSON object, got {_json_type(item)}")
    for key in ("id", "object", "published"):
        if item.get(key) in (None, "", [], {}):
            raise InputError(f"{origin}: missing {key!r}")
    kind = item.get("type")
    if kind == "Announce":
        return BOOST
    if kind != "Create":
        return f"activity type {kind}: not a status"
    status = item["object"]
    if not isinstance(status, dict):
        raise InputError(f"{origin}: 'object' must be the status itself, got {_json_type(status)}")
    if status.get("type") not in _STATUS_TYPES:
        return f"Create of a {status.get('type')}: not a status"
    author = status.get("attributedTo", outbox.actor.id)
    if author != outbox.actor.id:
        return "status attributed to another account"
    return _status_row(item, status, origin, outbox)


def _status_row(
    item: dict[str, Any], status: dict[str, Any], origin: str, outbox: _Outbox
) -> RecordRow:
    status_id = status.get("id")
    if not isinstance(status_id, str) or not status_id.strip():
        raise InputError(f"{origin}: object: missing 'id'")
    if len(status_id) > _MAX_ID:
        raise InputError(f"{origin}: object: 'id' is longer than {_MAX_ID} characters")
    # Mastodon addresses both the activity and the status; the status is what was seen.
    addressed = status if ("to" in status or "cc" in status) else item
    to, cc = _addresses(addressed, "to", origin), _addresses(addressed, "cc", origin)
    visibility = visibility_of(to, cc, outbox.actor.followers)
    data = _status_data(status, visibility, origin)
    direct = visibility == "direct"
    if direct:
        data["recipients"] = [a for a in to if a not in PUBLIC and a != outbox.actor.followers]
    return RecordRow(
        subject_id=outbox.subject_id,
        source=SOURCE,
        source_id=status_id,
        kind="message" if direct else "post",
        category=MESSAGE if direct else post_category(visibility == "public"),
        origin=origin,
        text=_content(status, origin),
        data=data,
        lang=_lang(status),
        created_at=_time(status.get("published") or item["published"], origin),
    )


def _status_data(status: dict[str, Any], visibility: Visibility, origin: str) -> dict[str, Any]:
    reply = status.get("inReplyTo")
    data: dict[str, Any] = {
        "visibility": visibility,
        "in_reply_to": _href(reply) or (reply.get("id") if isinstance(reply, dict) else None),
        "tags": _tag_names(status.get("tag")),
        "attachments": len(_as_list(status.get("attachment"))),
        "sensitive": status.get("sensitive") is True,
        "summary": _optional_str(status, "summary", origin) or None,
    }
    if status.get("type") == "Question":
        options = _as_list(status.get("oneOf")) + _as_list(status.get("anyOf"))
        data["poll_options"] = [o["name"] for o in options if isinstance(o, dict) and "name" in o]
    return data


def _content(status: dict[str, Any], origin: str) -> str:
    content = status.get("content")
    if content is None:
        by_lang = status.get("contentMap")
        content = next(iter(by_lang.values()), None) if isinstance(by_lang, dict) else None
    if content is not None and not isinstance(content, str):
        raise InputError(f"{origin}: object: 'content' must be a string (HTML)")
    return html_to_text(content or "")


def _lang(status: dict[str, Any]) -> str | None:
    """The language the status's ``contentMap`` names for its content."""
    by_lang = status.get("contentMap")
    if not isinstance(by_lang, dict) or not by_lang:
        return None
    content = status.get("content")
    tag = next((k for k, v in by_lang.items() if v == content), next(iter(by_lang)))
    return tag if isinstance(tag, str) and len(tag) <= 16 and _LANG.match(tag) else None


def _time(value: Any, origin: str) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is not None:
                return parsed
    raise InputError(f"{origin}: 'published' {value!r} is not an RFC 3339 time with a zone")


def _addresses(data: dict[str, Any], key: str, origin: str) -> list[str]:
    found = []
    for entry in _as_list(data.get(key)):
        address = entry.get("id") if isinstance(entry, dict) else entry
        if not isinstance(address, str):
            raise InputError(f"{origin}: {key!r} must list addresses (URLs)")
        found.append(address)
    return found


def _tag_names(value: Any) -> list[str]:
    """Hashtags and mentions (``#tag``, ``@user@host``); custom emoji are left out."""
    return [
        t["name"]
        for t in _as_list(value)
        if isinstance(t, dict)
        and t.get("type") in ("Hashtag", "Mention")
        and isinstance(t.get("name"), str)
    ]


def _as_list(value: Any) -> list[Any]:
    """ActivityStreams allows one value where a list is meant."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return "null" if value is None else names.get(type(value), "a number")
