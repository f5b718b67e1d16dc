"""Import an X (Twitter) "Download your data" archive: a ZIP file, or its unpacked folder.

The archive's data files (``data/*.js``, or ``*.js`` at the top of a folder) are read in an
order that puts what decides everything else first: ``manifest.js`` and ``account.js`` (whose
archive it is), ``protected-history.js`` (whether posts are public), ``ageinfo.js`` and
``personalization.js`` (age). Posts and direct messages are then streamed record by record
(see :mod:`purposely.ingest.ytd`) and written in batches, all inside one transaction: a bad
record anywhere fails the import with ``FILE: record N: what is wrong`` and stores nothing.

Every file met ends up in the report: what it stored under which category, or why it was
skipped. Data no purpose in the policy uses is not stored (data minimisation).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from purposely.errors import InputError
from purposely.ingest.archive import Archive, Progress, open_archive
from purposely.ingest.fields import (
    born_no_later_than,
    minimum_age,
    parse_partial_date,
    post_category,
)
from purposely.ingest.report import FileNote, ImportReport
from purposely.ingest.writer import RecordRow, SubjectRow, Writer
from purposely.ingest.ytd import read_object, read_records
from purposely.policy import Policy
from purposely.store import Store
from purposely.store.models import Subject
from purposely.store.subjects import find_subject
from purposely.taxonomy import MESSAGE

SOURCE = "x-archive"

# Data categories this importer files records under.
EMAIL = "user.contact.email"
PHONE = "user.contact.phone_number"
WEBSITE = "user.contact.url"
NAME = "user.name"
PROFILE = "user.demographic.profile"
LOCATION = "user.location.imprecise"
LANGUAGE = "user.demographic.language"
GENDER = "user.demographic.gender"
BIRTH_DATE = "user.demographic.date_of_birth"
AGE_RANGE = "user.demographic.age_range"

# Why something was not stored, as the report says it.
NOT_USED = "not used by any purpose in the policy: not stored (data minimisation)"
DELETED = "deleted by the member: not stored, and a copy an earlier import stored is removed"
DELETED_HEADERS = "posts the member deleted, without text: not stored"
DM_HEADERS = "same conversations without text: not stored"
TWEET_HEADERS = "same posts as tweets.js without text: not stored"
NOTE_TWEETS = (
    "full texts of long posts: not matched to their posts, which are stored with the text "
    "tweets.js gives"
)
COMMUNITY = "posts in Communities, whose audience the community decides: not imported"
RETWEET = "retweet: another person's post"
REACTIONS = "reactions to messages: not stored"
ACCOUNT_METADATA = (
    "account metadata (createdAt, createdVia: when and with which app the account was "
    "made): not used by any purpose, not stored"
)
PICTURES = "profile picture and header image: pictures of the member are used by no purpose"
TURNED_OFF = "inference the member turned off in X's settings: not stored"
PARTNER_INTERESTS = "interests from advertising partners: " + NOT_USED
AUDIENCES = "advertiser audiences and advertisers: " + NOT_USED
SHOWS = "TV shows X inferred: " + NOT_USED
LOCATION_HISTORY = "location history inferred from activity: " + NOT_USED
INFERRED_AGE = "age X inferred: not used, ageinfo.js gives the member's own"
MANIFEST_NAME = "display name in manifest.js: not stored (taken from account.js only)"
MISSING = "listed in manifest.js but not in the archive: nothing imported from it"
MEDIA = "media files (photos, videos) of posts, messages or the profile: not imported"
README = "X's description of the archive's files: not personal data, not read"
NOT_DATA = "not a data file of the archive (data/*.js): not read"

# Kinds of data file, in the order they are read: what decides the owner, their age and the
# visibility of their posts comes before the records that depend on it.
_HEAD = ("manifest", "account")
_FACTS = ("protected-history", "ageinfo", "personalization")
_RECORDS = (
    "profile",
    "phone-number",
    "tweets",
    "twitter-circle-tweet",
    "direct-messages",
    "direct-messages-group",
)
# Older archives name some files differently.
_OLD_NAMES = {
    "tweet": "tweets",
    "direct-message": "direct-messages",
    "direct-message-group": "direct-messages-group",
    "deleted-tweet": "deleted-tweets",
}
_SKIPPED = {
    "deleted-tweet-headers": DELETED_HEADERS,
    "direct-message-headers": DM_HEADERS,
    "direct-message-group-headers": DM_HEADERS,
    "tweet-headers": TWEET_HEADERS,
    "note-tweet": NOTE_TWEETS,
    "community-tweet": COMMUNITY,
}
_FILE_NAME = re.compile(r"^(?P<kind>.*?)(?:-part(?P<part>\d+))?\.js$")
_PROTECT_ACTIONS = {"protect": True, "protected": True, "unprotect": False, "unprotected": False}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Tweets' own time format, e.g. "Sat Feb 18 19:45:15 +0000 2023" (parsed by hand, so the
# process locale cannot change what %a and %b match).
_TWEET_TIME = re.compile(
    r"^[A-Z][a-z]{2} (?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2}) "
    r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}) (?P<sign>[+-])(?P<zh>\d{2})(?P<zm>\d{2}) "
    r"(?P<year>\d{4})$"
)


def ingest_x_archive(
    store: Store,
    policy: Policy,
    path: Path,
    progress: Progress | None = None,
    *,
    subject: str | None = None,
) -> ImportReport:
    """Import the X archive at ``path`` (ZIP or folder) in one transaction.

    The records go to subject ``x:<accountId>``, or to ``subject`` (an id or ``@handle``)
    if given. Returns what was stored under which category and what was skipped, per file.
    """
    report = ImportReport(source=str(path), format="x-archive")
    with open_archive(path, progress) as archive, store.write() as conn:
        layout = Layout.of(archive)
        run = _Import(archive, Writer(conn, store, policy, report), subject)
        run.read(layout)
        run.writer.flush()
    return report


# --- the archive's layout --------------------------------------------------------------------


@dataclass(frozen=True)
class DataFile:
    """A ``.js`` data file: its name in the archive, its kind (``tweets``) and part number."""

    name: str
    kind: str
    part: int

    @property
    def base(self) -> str:
        """The file's name without its folder, e.g. ``tweets-part1.js``."""
        return posixpath.basename(self.name)


@dataclass
class Layout:
    """The data files of an archive, and every other file grouped with why it is not read."""

    data_files: list[DataFile]
    others: dict[str, tuple[str, list[str]]]

    @classmethod
    def of(cls, archive: Archive) -> Layout:
        """Find the data folder (``data/``, or the top of a flat folder) and sort the files."""
        root = _data_root(archive)
        data_files: list[DataFile] = []
        others: dict[str, tuple[str, list[str]]] = {}
        for name in archive.names:
            if posixpath.dirname(name) == root and name.endswith(".js"):
                data_files.append(_data_file(name))
                continue
            group, reason = _group_of(name, root)
            others.setdefault(group, (reason, []))[1].append(name)
        return cls(sorted(data_files, key=_reading_order), others)


def _data_root(archive: Archive) -> str:
    """The folder holding the ``.js`` data files: the shallowest ``data``, else the shallowest."""
    folders = {posixpath.dirname(n) for n in archive.names if n.endswith(".js")}
    if not folders:
        raise InputError(f"{archive.path}: no data files (*.js) found: not an X archive?")
    named_data = [f for f in folders if posixpath.basename(f) == "data"]
    return min(named_data or folders, key=lambda f: (f.count("/") + bool(f), f))


def _data_file(name: str) -> DataFile:
    match = _FILE_NAME.match(posixpath.basename(name))
    assert match is not None, "every .js name matches"
    kind = _OLD_NAMES.get(match["kind"], match["kind"])
    return DataFile(name, kind, int(match["part"] or 0))


def _reading_order(file: DataFile) -> tuple[int, str, int, str]:
    order = (*_HEAD, *_FACTS, *_RECORDS)
    rank = order.index(file.kind) if file.kind in order else len(order)
    return rank, file.kind, file.part, file.name


def _group_of(name: str, root: str) -> tuple[str, str]:
    """How the report names a file that is not a data file (a folder of them, or itself)."""
    inside = root == "" or name.startswith(root + "/")
    relative = name[len(root) + 1 :] if root else name
    if inside and "/" in relative:
        folder = posixpath.join(root, relative.split("/")[0]) + "/"
        return folder, MEDIA if folder.rstrip("/").endswith("media") else NOT_DATA
    if inside:
        return name, README if relative.lower().startswith("readme") else NOT_DATA
    return (name.split("/")[0] + "/" if "/" in name else name), NOT_DATA


# --- what the archive says about its owner ----------------------------------------------------


@dataclass(frozen=True)
class _AccountValue:
    """A value of account.js, stored once the owner's subject is known."""

    name: str  # as the record id and its data name it, e.g. ``phone_number``
    category: str
    value: str
    origin: str
    note: FileNote


@dataclass
class _Facts:
    """What the archive says about its owner, gathered before their records are written."""

    account_id: str | None = None
    account_origin: str | None = None
    username: str | None = None
    generated_on: date | None = None
    protected: bool = False
    birth_date: str | None = None
    born_no_later_than: date | None = None
    age_given: bool = False
    account_values: list[_AccountValue] = field(default_factory=list)


@dataclass(frozen=True)
class _Known:
    """A subject the store already holds: what the import must not wipe out."""

    handle: str | None
    birth_date: str | None
    born_no_later_than: date | None
    country: str | None
    source: str


@dataclass(frozen=True)
class _Owner:
    """Whose archive it is, and the subject its records are filed under."""

    subject_id: str
    key: str  # what record ids without an id of their own are built on
    handle: str | None
    origin: str
    known: _Known | None


# --- the import ------------------------------------------------------------------------------


class _Import:
    """One archive being imported: its facts, its owner, and the records written so far."""

    def __init__(self, archive: Archive, writer: Writer, subject: str | None) -> None:
        self.archive = archive
        self.writer = writer
        self.report = writer.report
        self.subject_arg = subject
        self.facts = _Facts()
        self.listed: dict[str, tuple[str, int]] = {}
        self._owner: _Owner | None = None
        self._pending: list[RecordRow] | None = []

    @property
    def owner(self) -> _Owner:
        """The owner, once the head files (manifest.js, account.js) were read."""
        assert self._owner is not None, "the owner is resolved before records are read"
        return self._owner

    @property
    def generated_on(self) -> date:
        """The day the archive was made (ages are observed then), else today."""
        return self.facts.generated_on or datetime.now(UTC).date()

    def read(self, layout: Layout) -> None:
        """Read every data file in order, then note the files not read and those missing."""
        for file in layout.data_files:
            if file.kind not in _HEAD and self._owner is None:
                self._resolve_owner()
            if file.kind in _RECORDS and self._pending is not None:
                self._queue_subject()
            self._read_file(file)
        if self._owner is None:
            self._resolve_owner()
        if self._pending is not None:
            self._queue_subject()
        self._note_missing(layout)
        self._note_others(layout)

    def _read_file(self, file: DataFile) -> None:
        note = self.report.file(file.name)
        handler = _HANDLERS.get(file.kind)
        if handler is None:
            self._skip_file(file, note, _SKIPPED.get(file.kind, NOT_USED))
        else:
            handler(self, file, note)

    def records(self, file: DataFile) -> Iterator[tuple[str, Any]]:
        """Each record of ``file`` with its origin (``FILE: record N``) for error messages."""
        origin = self.archive.origin(file.name)
        for number, item in read_records(self.archive, file.name):
            yield f"{origin}: record {number}", item

    def store(self, row: RecordRow, note: FileNote) -> None:
        """Queue ``row`` (held back until the subject row is queued before it)."""
        note.stored[row.category] += 1
        if self._pending is None:
            self.writer.record(row)
        else:
            self._pending.append(row)

    def skipped(self, note: FileNote, reason: str, count: int = 1) -> None:
        """Count ``count`` items of ``note``'s file as skipped for ``reason``."""
        if count:
            note.skipped[reason] += count
            self.report.skipped[reason] += count

    def skipped_whole(self, note: FileNote, reason: str, count: int) -> None:
        """A whole file skipped: its ``count`` items, or, if it holds none, a note why."""
        if count:
            self.skipped(note, reason, count)
        else:
            note.note = reason

    def row(
        self, source_id: str, kind: str, category: str, origin: str, **values: Any
    ) -> RecordRow:
        """A record of the owner's, from this source."""
        return RecordRow(
            subject_id=self.owner.subject_id,
            source=SOURCE,
            source_id=source_id,
            kind=kind,
            category=category,
            origin=origin,
            **values,
        )

    # --- owner and subject -------------------------------------------------------------------

    def claim_account(self, account_id: str, username: str | None, origin: str) -> None:
        """Record whose archive it is; two files naming different accounts is an error."""
        facts = self.facts
        if facts.account_id is not None and facts.account_id != account_id:
            raise InputError(
                f"{origin}: account {account_id} is not the account {facts.account_id} "
                f"that {facts.account_origin} names"
            )
        facts.account_id, facts.account_origin = account_id, origin
        facts.username = username or facts.username

    def _resolve_owner(self) -> None:
        facts, conn = self.facts, self.writer.conn
        if self.subject_arg is not None:
            subject_id = _subject_id(conn, self.subject_arg)
            known = _known_subject(conn, subject_id)
            if known is None and facts.account_id is None:
                raise InputError(
                    f"{self.archive.path}: no subject {subject_id!r} in the store, and the "
                    "archive does not say whose it is (no account.js, no userInfo in "
                    "manifest.js): import that subject first, or name one the store holds"
                )
            # A subject of the platform keeps its own handle; the X username only fills a gap.
            handle = known.handle if known and known.handle else facts.username
        elif facts.account_id is not None:
            subject_id = f"x:{facts.account_id}"
            known = _known_subject(conn, subject_id)
            handle = facts.username or (known.handle if known else None)
        else:
            raise InputError(
                f"{self.archive.path}: the archive does not say whose it is (no account.js, "
                "and no userInfo in manifest.js): pass --subject ID to file it under a "
                "subject of the store"
            )
        key = facts.account_id or subject_id
        origin = facts.account_origin or str(self.archive.path)
        self._owner = _Owner(subject_id, key, handle, origin, known)
        self._store_account_values()

    def _store_account_values(self) -> None:
        for found in self.facts.account_values:
            kind = "contact" if found.category in (EMAIL, PHONE) else "profile_field"
            source_id = f"account:{self.owner.key}:{found.name}"
            data = {found.name: found.value}
            self.store(
                self.row(source_id, kind, found.category, found.origin, data=data), found.note
            )

    def _queue_subject(self) -> None:
        """Queue the owner's subject row, merged with what the store holds, then its records."""
        owner, facts, known = self.owner, self.facts, self.owner.known
        birth_date = facts.birth_date or (known.birth_date if known else None)
        if facts.birth_date or not (known and known.birth_date):
            latest = facts.born_no_later_than or (known.born_no_later_than if known else None)
        else:  # a birth date already known outranks an age range found now
            latest = known.born_no_later_than
        self.writer.subject(
            SubjectRow(
                id=owner.subject_id,
                source=known.source if known else SOURCE,
                origin=owner.origin,
                handle=owner.handle,
                birth_date=birth_date,
                born_no_later_than=latest,
                country=known.country if known else None,
            )
        )
        for row in self._pending or ():
            self.writer.record(row)
        self._pending = None

    # --- files not read, files missing ------------------------------------------------------

    def _skip_file(self, file: DataFile, note: FileNote, reason: str) -> None:
        """Skip a whole data file; it is still read through, to count its records."""
        self.skipped_whole(note, reason, sum(1 for _ in self.records(file)))

    def _note_missing(self, layout: Layout) -> None:
        present = {file.base for file in layout.data_files}
        for base, (listed_as, count) in sorted(self.listed.items()):
            if base not in present:
                self.skipped_whole(self.report.file(listed_as), MISSING, count)

    def _note_others(self, layout: Layout) -> None:
        for group, (reason, names) in sorted(layout.others.items()):
            self.skipped_whole(self.report.file(group), reason, len(names))

    # --- age -----------------------------------------------------------------------------------

    def age(self, info: Any, origin: str, note: FileNote, *, inferred: bool) -> None:
        """Store an age record and, unless a given age outranks it, the owner's age bounds."""
        info = _object(info, "ageInfo", origin)
        birth = _optional_text(info, "birthDate", "ageInfo", origin)
        ages = _texts(info, "age", "ageInfo", origin)
        if birth is None and not ages:
            return
        if inferred and self.facts.age_given:
            self.skipped(note, INFERRED_AGE)
            return
        latest = _latest_birth(birth, ages, self.generated_on, origin)
        if not inferred:
            self.facts.age_given = True
            self.facts.birth_date = birth
        self.facts.born_no_later_than = latest
        name = "inferred_age" if inferred else ("birth_date" if birth else "age")
        observed_on = self.generated_on.isoformat()
        data = {"birth_date": birth, "age": ages, "inferred": inferred, "observed_on": observed_on}
        category = BIRTH_DATE if birth else AGE_RANGE
        self.store(
            self.row(f"age:{self.owner.key}:{name}", "profile_field", category, origin, data=data),
            note,
        )


# --- one handler per kind of data file ---------------------------------------------------------


def _manifest(run: _Import, file: DataFile, note: FileNote) -> None:
    """Owner, generation date and the list of files the archive should hold."""
    origin = run.archive.origin(file.name)
    manifest = read_object(run.archive, file.name)
    user = manifest.get("userInfo")
    if user is not None:
        user = _object(user, "userInfo", origin)
        account_id = _text(user, "accountId", "userInfo", origin)
        run.claim_account(account_id, _optional_text(user, "userName", "userInfo", origin), origin)
        if _optional_text(user, "displayName", "userInfo", origin):
            run.skipped(note, MANIFEST_NAME)
    info = manifest.get("archiveInfo")
    if info is not None:
        generated = _optional_text(
            _object(info, "archiveInfo", origin), "generationDate", "archiveInfo", origin
        )
        if generated:
            at = _iso_time(generated, "archiveInfo.generationDate", origin)
            run.facts.generated_on = at.date()
    run.listed = _listed_files(manifest.get("dataTypes"), origin)
    note.note = "archive description: owner, generation date and file list read"


def _account(run: _Import, file: DataFile, note: FileNote) -> None:
    """Owner (accountId, username); e-mail, phone number and display name are stored."""
    fields = (
        ("email", "email", EMAIL),
        ("phoneNumber", "phone_number", PHONE),
        ("accountDisplayName", "display_name", NAME),
    )
    for origin, item in run.records(file):
        account = _unwrap(item, "account", origin)
        account_id = _text(account, "accountId", "account", origin)
        run.claim_account(
            account_id, _optional_text(account, "username", "account", origin), origin
        )
        for key, name, category in fields:
            value = _optional_text(account, key, "account", origin)
            if value:
                found = _AccountValue(name, category, value.strip(), origin, note)
                run.facts.account_values.append(found)
        if "createdAt" in account or "createdVia" in account:
            run.skipped(note, ACCOUNT_METADATA)


def _protected_history(run: _Import, file: DataFile, note: FileNote) -> None:
    """Whether the account is protected now: its latest Protect or Unprotect."""
    latest: tuple[datetime, bool] | None = None
    for origin, item in run.records(file):
        entry = _unwrap(item, "protectedHistory", origin)
        at = _iso_time(
            _text(entry, "protectedAt", "protectedHistory", origin), "protectedAt", origin
        )
        action = _text(entry, "action", "protectedHistory", origin)
        protected = _PROTECT_ACTIONS.get(action.casefold())
        if protected is None:
            raise InputError(
                f"{origin}: protectedHistory action {action!r} is neither Protect nor Unprotect"
            )
        if latest is None or at >= latest[0]:
            latest = (at, protected)
    run.facts.protected = latest is not None and latest[1]
    state = "protected: posts are private" if run.facts.protected else "not protected"
    note.note = f"read to decide the posts' visibility (account {state}); not stored"


def _ageinfo(run: _Import, file: DataFile, note: FileNote) -> None:
    """The member's birth date or age range, as they gave it to X."""
    for origin, item in run.records(file):
        meta = _unwrap(item, "ageMeta", origin)
        if meta.get("ageInfo") is not None:
            run.age(meta["ageInfo"], origin, note, inferred=False)
        if meta.get("inferredAgeInfo") is not None:
            run.age(meta["inferredAgeInfo"], origin, note, inferred=True)


def _personalization(run: _Import, file: DataFile, note: FileNote) -> None:
    """What X inferred: languages, gender, interests, age; advertising data is skipped."""
    for origin, item in run.records(file):
        data = _unwrap(item, "p13nData", origin)
        demographics = _object(data.get("demographics") or {}, "demographics", origin)
        _languages(run, demographics, origin, note)
        _gender(run, demographics, origin, note)
        _interests(run, _object(data.get("interests") or {}, "interests", origin), origin, note)
        run.skipped(note, LOCATION_HISTORY, len(_list(data, "locationHistory", origin)))
        if data.get("inferredAgeInfo") is not None:
            run.age(data["inferredAgeInfo"], origin, note, inferred=True)


def _languages(run: _Import, demographics: dict[str, Any], origin: str, note: FileNote) -> None:
    names, off = _enabled(_list(demographics, "languages", origin), "language", origin)
    run.skipped(note, TURNED_OFF, off)
    if names:
        _inference(run, "languages", LANGUAGE, names, origin, note)


def _gender(run: _Import, demographics: dict[str, Any], origin: str, note: FileNote) -> None:
    info = _object(demographics.get("genderInfo") or {}, "genderInfo", origin)
    gender = _optional_text(info, "gender", "genderInfo", origin)
    if gender:
        _inference(run, "gender", GENDER, gender, origin, note)


def _interests(run: _Import, interests: dict[str, Any], origin: str, note: FileNote) -> None:
    names, off = _enabled(_list(interests, "interests", origin), "name", origin)
    run.skipped(note, TURNED_OFF, off)
    if names:
        _inference(run, "interests", PROFILE, names, origin, note)
    run.skipped(note, PARTNER_INTERESTS, len(_list(interests, "partnerInterests", origin)))
    run.skipped(note, SHOWS, len(_list(interests, "shows", origin)))
    audiences = _object(
        interests.get("audienceAndAdvertisers") or {}, "audienceAndAdvertisers", origin
    )
    run.skipped(note, AUDIENCES, sum(len(v) for v in audiences.values() if isinstance(v, list)))


def _inference(
    run: _Import, name: str, category: str, value: Any, origin: str, note: FileNote
) -> None:
    """Store what X inferred about the member (and says it may have inferred)."""
    source_id = f"personalization:{run.owner.key}:{name}"
    data = {name: value, "inferred": True}
    run.store(run.row(source_id, "profile_field", category, origin, data=data), note)


def _profile(run: _Import, file: DataFile, note: FileNote) -> None:
    """Bio, location and website; the pictures are skipped."""
    fields = (("bio", PROFILE), ("location", LOCATION), ("website", WEBSITE))
    for origin, item in run.records(file):
        profile = _unwrap(item, "profile", origin)
        description = _object(profile.get("description") or {}, "description", origin)
        for key, category in fields:
            value = (_optional_text(description, key, "description", origin) or "").strip()
            if value:
                source_id = f"profile:{run.owner.key}:{key}"
                text = value if key == "bio" else None
                data = {key: value}
                run.store(
                    run.row(source_id, "profile_field", category, origin, text=text, data=data),
                    note,
                )
        pictures = sum(1 for k in ("avatarMediaUrl", "headerMediaUrl") if profile.get(k))
        run.skipped(note, PICTURES, pictures)


def _phone_number(run: _Import, file: DataFile, note: FileNote) -> None:
    """The account's current phone number (newer layout; older ones have it in account.js)."""
    for origin, item in run.records(file):
        device = _unwrap(item, "device", origin)
        number = (_optional_text(device, "phoneNumber", "device", origin) or "").strip()
        if number:
            source_id = f"account:{run.owner.key}:phone_number"
            run.store(
                run.row(source_id, "contact", PHONE, origin, data={"phone_number": number}), note
            )


def _tweets(run: _Import, file: DataFile, note: FileNote) -> None:
    """The member's posts; public unless the account is protected or it went to a Circle."""
    circle = file.kind == "twitter-circle-tweet"
    audience = "circle" if circle else ("followers" if run.facts.protected else "everyone")
    category = post_category(public=audience == "everyone")
    for origin, item in run.records(file):
        tweet = _tweet_of(item, origin)
        if _is_retweet(tweet):
            run.skipped(note, RETWEET)
            continue
        run.store(_post(run, tweet, origin, category, audience), note)


def _deleted_tweets(run: _Import, file: DataFile, note: FileNote) -> None:
    """Posts the member deleted: not stored, and removed if an earlier import stored them."""
    for origin, item in run.records(file):
        tweet_id = _text(_tweet_of(item, origin), "id_str", "tweet", origin)
        run.writer.delete(SOURCE, tweet_id, ("post",))
        run.skipped(note, DELETED)


def _post(
    run: _Import, tweet: dict[str, Any], origin: str, category: str, audience: str
) -> RecordRow:
    tweet_id = _text(tweet, "id_str", "tweet", origin)
    text = _text(tweet, "full_text", "tweet", origin, allow_empty=True)
    lang = _optional_text(tweet, "lang", "tweet", origin)
    data = {
        "visibility": "public" if audience == "everyone" else "private",
        "audience": audience,
        "in_reply_to_status_id": _optional_text(
            tweet, "in_reply_to_status_id_str", "tweet", origin
        ),
        "in_reply_to_user_id": _optional_text(tweet, "in_reply_to_user_id_str", "tweet", origin),
    }
    return run.row(
        tweet_id,
        "post",
        category,
        origin,
        # X escapes &, < and > in the text of posts; the member wrote the characters.
        text=html.unescape(text),
        data={k: v for k, v in data.items() if v is not None},
        lang=None if lang in (None, "und") else lang,
        created_at=_tweet_time(_text(tweet, "created_at", "tweet", origin), origin),
    )


def _direct_messages(run: _Import, file: DataFile, note: FileNote) -> None:
    """Each message of each conversation; other conversation events are counted as skipped."""
    group = file.kind == "direct-messages-group"
    for origin, item in run.records(file):
        conversation = _unwrap(item, "dmConversation", origin)
        conversation_id = _text(conversation, "conversationId", "dmConversation", origin)
        for index, event in enumerate(_list(conversation, "messages", origin), start=1):
            where = f"{origin}: message {index}"
            if not isinstance(event, dict):
                raise InputError(f"{where}: expected an object, found {_describe(event)}")
            for event_type, body in event.items():
                if event_type != "messageCreate":
                    run.skipped(note, f"{event_type}: a conversation event, not a message")
                    continue
                run.store(_message(run, body, conversation_id, group, where), note)
                run.skipped(note, REACTIONS, len(_list(body, "reactions", where)))


def _message(run: _Import, body: Any, conversation_id: str, group: bool, origin: str) -> RecordRow:
    message = _object(body, "messageCreate", origin)
    message_id = _text(message, "id", "messageCreate", origin)
    data = {
        "conversation_id": conversation_id,
        "group": group,
        "sender_id": _text(message, "senderId", "messageCreate", origin),
        # X names the recipient of one-to-one messages only; a group's are its members.
        "recipient_id": _optional_text(message, "recipientId", "messageCreate", origin),
    }
    return run.row(
        message_id,
        "message",
        MESSAGE,
        origin,
        text=_text(message, "text", "messageCreate", origin, allow_empty=True),
        data={k: v for k, v in data.items() if v is not None},
        created_at=_iso_time(
            _text(message, "createdAt", "messageCreate", origin), "createdAt", origin
        ),
    )


_HANDLERS: dict[str, Callable[[_Import, DataFile, FileNote], None]] = {
    "manifest": _manifest,
    "account": _account,
    "protected-history": _protected_history,
    "ageinfo": _ageinfo,
    "personalization": _personalization,
    "profile": _profile,
    "phone-number": _phone_number,
    "tweets": _tweets,
    "twitter-circle-tweet": _tweets,
    "deleted-tweets": _deleted_tweets,
    "direct-messages": _direct_messages,
    "direct-messages-group": _direct_messages,
}


# --- reading values -----------------------------------------------------------------------------


def _subject_id(conn: Connection, ref: str) -> str:
    """The id of the subject ``ref`` names: an id as given, or ``@handle`` looked up."""
    return find_subject(conn, ref).id if ref.startswith("@") else ref


def _known_subject(conn: Connection, subject_id: str) -> _Known | None:
    t = Subject.__table__
    row = conn.execute(
        select(t.c.handle, t.c.birth_date, t.c.born_no_later_than, t.c.country, t.c.source).where(
            t.c.id == subject_id
        )
    ).first()
    if row is None:
        return None
    return _Known(row.handle, row.birth_date, row.born_no_later_than, row.country, row.source)


def _latest_birth(birth: str | None, ages: list[str], observed: date, origin: str) -> date:
    """The latest birth date a birth date or age ranges allow (the youngest reading)."""
    try:
        if birth is not None:
            return parse_partial_date(birth)
        return born_no_later_than(min(minimum_age(a) for a in ages), observed)
    except ValueError as exc:
        raise InputError(f"{origin}: ageInfo: {exc}") from None


def _listed_files(data_types: Any, origin: str) -> dict[str, tuple[str, int]]:
    """The data files manifest.js lists: base name -> (name as listed, record count)."""
    listed: dict[str, tuple[str, int]] = {}
    for name, entry in _object(data_types or {}, "dataTypes", origin).items():
        entry = _object(entry, f"dataTypes.{name}", origin)
        for listed_file in _list(entry, "files", origin):
            where = f"dataTypes.{name}.files"
            listed_file = _object(listed_file, where, origin)
            file_name = _text(listed_file, "fileName", where, origin)
            count = _optional_text(listed_file, "count", where, origin) or "0"
            listed[posixpath.basename(file_name)] = (
                file_name,
                int(count) if count.isdigit() else 0,
            )
    return listed


def _tweet_of(item: Any, origin: str) -> dict[str, Any]:
    """The tweet in a record: ``{"tweet": {...}}``, or the bare tweet of older archives."""
    if isinstance(item, dict) and "tweet" in item:
        return _unwrap(item, "tweet", origin)
    if isinstance(item, dict) and ("id_str" in item or "full_text" in item):
        return item
    raise InputError(f'{origin}: expected an object with "tweet" inside, found {_describe(item)}')


def _is_retweet(tweet: dict[str, Any]) -> bool:
    text = tweet.get("full_text")
    return "retweeted_status" in tweet or (isinstance(text, str) and text.startswith("RT @"))


def _tweet_time(value: str, origin: str) -> datetime:
    match = _TWEET_TIME.match(value)
    if match is None or match["mon"] not in _MONTHS:
        raise InputError(
            f"{origin}: tweet created_at {value!r} is not a time like "
            "'Sat Feb 18 19:45:15 +0000 2023'"
        )
    offset = timedelta(hours=int(match["zh"]), minutes=int(match["zm"]))
    zone = timezone(-offset if match["sign"] == "-" else offset)
    try:
        local = datetime(
            int(match["year"]),
            _MONTHS.index(match["mon"]) + 1,
            int(match["day"]),
            int(match["h"]),
            int(match["m"]),
            int(match["s"]),
            tzinfo=zone,
        )
    except ValueError as exc:
        raise InputError(f"{origin}: tweet created_at {value!r}: {exc}") from None
    return local.astimezone(UTC)


def _iso_time(value: str, what: str, origin: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"{origin}: {what} {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise InputError(f"{origin}: {what} {value!r} has no time zone")
    return parsed.astimezone(UTC)


def _describe(value: Any) -> str:
    """What a JSON value is, for error messages."""
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:3])
        return f"an object with {keys}" if keys else "an empty object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    return "null" if value is None else "a number"


def _unwrap(item: Any, key: str, origin: str) -> dict[str, Any]:
    """The object under ``key`` in a record like ``{"account": {...}}``."""
    if isinstance(item, dict) and isinstance(item.get(key), dict):
        inner: dict[str, Any] = item[key]
        return inner
    raise InputError(f"{origin}: expected an object with {key!r} inside, found {_describe(item)}")


def _object(value: Any, what: str, origin: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{origin}: {what} is not an object but {_describe(value)}")
    return value


def _list(obj: dict[str, Any], key: str, origin: str) -> list[Any]:
    """``obj[key]`` as a list; a missing or null value is an empty one."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f'{origin}: "{key}" is not an array but {_describe(value)}')
    return value


def _text(
    obj: dict[str, Any], key: str, what: str, origin: str, *, allow_empty: bool = False
) -> str:
    """A required string field; X writes numbers as strings, and a number is taken as one."""
    value = obj.get(key)
    if value is None or (value == "" and not allow_empty):
        raise InputError(f'{origin}: {what} has no "{key}"')
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(f'{origin}: {what} "{key}" is not a string but {_describe(value)}')
    return value


def _optional_text(obj: dict[str, Any], key: str, what: str, origin: str) -> str | None:
    """A string field that may be missing, null or empty (all read as None)."""
    if obj.get(key) in (None, ""):
        return None
    return _text(obj, key, what, origin)


def _texts(obj: dict[str, Any], key: str, what: str, origin: str) -> list[str]:
    values = _list(obj, key, origin)
    if not all(isinstance(v, str) for v in values):
        raise InputError(f'{origin}: {what} "{key}" holds something other than strings')
    return [v for v in values if v.strip()]


def _enabled(entries: list[Any], name_key: str, origin: str) -> tuple[list[str], int]:
    """Names of the entries the member left on, and how many they turned off."""
    names: list[str] = []
    off = 0
    for entry in entries:
        entry = _object(entry, f"a {name_key} entry", origin)
        if entry.get("isDisabled") is True:
            off += 1
        elif (name := _optional_text(entry, name_key, name_key, origin)) is not None:
            names.append(name)
    return names, off
