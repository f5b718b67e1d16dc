"""The one place importers write through: subjects, records, jobs, consents, deletions.

Importers parse their format into the rows below and hand them to a :class:`Writer`, which
buffers them and writes in bulk inside the caller's transaction (one per file, so a bad line
anywhere leaves nothing of the file behind). Rows carry an ``origin`` (``file:line`` or
``file: record N``) so an error found only at write time still says where it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, insert, select

from purposely.consent.ledger import ConsentDecision, Decision, append_new, check_decision
from purposely.errors import InputError, PurposelyError
from purposely.ingest.report import ImportReport
from purposely.policy import Policy
from purposely.rights import tombstones
from purposely.store import Store
from purposely.store.bulk import last_per_key, upsert, upsert_columns
from purposely.store.models import ChangeLog, Job, Record, Subject

BATCH = 5_000
ERASED = "erased earlier at the member's request: not imported again"

# What _flush_records hands to the bulk upsert: subject_pk, these fields of RecordRow, and
# updated_at; a record sent again replaces all but its identity (source, source_id).
_RECORD_FIELDS = ("source", "source_id", "kind", "category", "text", "data", "lang", "created_at")
_RECORD_UPDATE = ("subject_pk", *_RECORD_FIELDS[2:], "updated_at")
_SUBJECT_ID = attrgetter("subject_id")
_RECORD_KEY = attrgetter("source", "source_id")


# Rows are NamedTuples rather than frozen dataclasses: an import builds one per line, and a
# NamedTuple costs a fraction to create and to pickle (JSONL parsing runs in its own process
# for large files and sends rows over a pipe; see ingest/parse_ahead.py).


class SubjectRow(NamedTuple):
    """A subject as a source describes it; replaces what the store held for that id."""

    id: str
    source: str
    origin: str
    handle: str | None = None
    birth_date: str | None = None
    born_no_later_than: date | None = None
    country: str | None = None


class RecordRow(NamedTuple):
    """One record; ``(source, source_id)`` identifies it, so sending it again replaces it."""

    subject_id: str
    source: str
    source_id: str
    kind: str
    category: str
    origin: str
    text: str | None = None
    data: dict[str, Any] | None = None
    lang: str | None = None
    created_at: datetime | None = None


class JobRow(NamedTuple):
    """A job listing (not personal data)."""

    id: str
    employer: str
    title: str
    source: str
    description: str | None = None
    location: str | None = None
    skills: tuple[str, ...] = ()
    posted_at: datetime | None = None


class DeleteRow(NamedTuple):
    """Removes the record ``source_id`` of ``source`` if it is one of ``kinds``."""

    source: str
    source_id: str
    kinds: tuple[str, ...]


class ConsentRow(NamedTuple):
    """A consent decision found in a source."""

    subject_id: str
    purpose: str
    decision: Decision
    at: datetime
    notice_version: str
    channel: str
    origin: str
    categories: tuple[str, ...] | None = None


Row = SubjectRow | RecordRow | JobRow | ConsentRow | DeleteRow


@dataclass
class Writer:
    """Buffers rows and writes them in bulk into ``conn``'s transaction."""

    conn: Connection
    store: Store
    policy: Policy
    report: ImportReport
    _subjects: list[SubjectRow] = field(default_factory=list)
    _records: list[RecordRow] = field(default_factory=list)
    _jobs: list[JobRow] = field(default_factory=list)
    _consents: list[tuple[ConsentRow, ConsentDecision]] = field(default_factory=list)
    _pks: dict[str, int] = field(default_factory=dict)
    # Erased subjects met in this import, and whether anything was ever erased (asked once).
    _erased: set[str] = field(default_factory=set)
    _anything_erased: bool | None = None
    _queued: int = 0  # rows queued since the last flush

    def put(self, row: Row) -> None:
        """Queue or apply ``row``, whichever of the kinds below it is."""
        match row:
            case RecordRow():
                self.record(row)
            case SubjectRow():
                self.subject(row)
            case ConsentRow():
                self.consent(row)
            case JobRow():
                self.job(row)
            case DeleteRow():
                if not self.delete(row.source, row.source_id, row.kinds):
                    self.report.skipped[f"delete: no {' or '.join(row.kinds)} with that id"] += 1

    def subject(self, row: SubjectRow) -> None:
        """Queue a subject; records queued after it may refer to it."""
        self._subjects.append(row)
        self._maybe_flush()

    def record(self, row: RecordRow) -> None:
        """Queue a record."""
        self._records.append(row)
        self._maybe_flush()

    def job(self, row: JobRow) -> None:
        """Queue a job listing."""
        self._jobs.append(row)
        self._maybe_flush()

    def consent(self, row: ConsentRow) -> None:
        """Queue a consent decision (appended to the ledger unless already held)."""
        decision = ConsentDecision(
            subject_pseudonym=self.store.pseudonym(row.subject_id),
            purpose=row.purpose,
            decision=row.decision,
            at=row.at,
            notice_version=row.notice_version,
            channel=row.channel,
            categories=row.categories,
        )
        try:  # an unknown purpose or a non-explicit grant is refused at its own line
            check_decision(self.policy, decision)
        except PurposelyError as exc:
            raise InputError(f"{row.origin}: {exc}") from None
        self._consents.append((row, decision))
        self._maybe_flush()

    def delete(self, source: str, source_id: str, kinds: Sequence[str]) -> bool:
        """Delete the record ``source_id`` of one of ``kinds``; False if there is none."""
        self.flush()  # a delete applies to what came before it in the file
        result = self.conn.execute(
            delete(Record).where(
                Record.source == source, Record.source_id == source_id, Record.kind.in_(kinds)
            )
        )
        removed = result.rowcount > 0
        self.report.deleted += int(removed)
        return removed

    def subject_exists(self, subject_id: str) -> bool:
        """True if the store (or this import so far) holds ``subject_id``."""
        self._flush_subjects()
        return bool(self._resolve([subject_id]))

    def flush(self) -> None:
        """Write everything queued, in dependency order."""
        self._queued = 0
        self._flush_subjects()
        self._flush_records()
        self._flush_consents()
        self._flush_jobs()

    def _maybe_flush(self) -> None:
        # A count, not the lists' lengths: this runs for every row of every import.
        self._queued += 1
        if self._queued >= BATCH:
            self.flush()

    # --- subjects ------------------------------------------------------------------------------

    # --- erased data ------------------------------------------------------------------------

    def _erasures_exist(self) -> bool:
        if self._anything_erased is None:
            self._anything_erased = tombstones.any_buried(self.conn)
        return self._anything_erased

    def _skip_erased(self, count: int) -> None:
        if count:
            self.report.skipped[ERASED] += count

    def _note_erased_subjects(self, subject_ids: Sequence[str]) -> None:
        """Add the ids of ``subject_ids`` that were erased before to ``_erased``."""
        keys = {i: tombstones.subject_key(self.store.secret, i) for i in set(subject_ids)}
        dead = tombstones.buried(self.conn, keys.values())
        self._erased.update(i for i, key in keys.items() if key in dead)

    def _without_erased_records(self, records: list[RecordRow]) -> list[RecordRow]:
        """``records`` minus those of erased subjects and those erased one by one."""
        unknown = [r.subject_id for r in records if r.subject_id not in self._pks]
        self._note_erased_subjects(unknown)
        secret = self.store.secret
        keys = [tombstones.record_key(secret, r.source, r.source_id) for r in records]
        dead = tombstones.buried(self.conn, keys)
        kept = [
            r
            for r, key in zip(records, keys, strict=True)
            if r.subject_id not in self._erased and key not in dead
        ]
        self._skip_erased(len(records) - len(kept))
        return kept

    # --- subjects ------------------------------------------------------------------------------

    def _flush_subjects(self) -> None:
        if not self._subjects:
            return
        if self._erasures_exist():
            self._note_erased_subjects([s.id for s in self._subjects])
            kept = [s for s in self._subjects if s.id not in self._erased]
            self._skip_erased(len(self._subjects) - len(kept))
            self._subjects = kept
            if not kept:
                return
        now = datetime.now(UTC)
        rows = last_per_key(
            [
                {
                    "id": s.id,
                    "handle": s.handle,
                    "pseudonym": self.store.pseudonym(s.id),
                    "birth_date": s.birth_date,
                    "born_no_later_than": s.born_no_later_than,
                    "country": s.country,
                    "source": s.source,
                    "created_at": now,
                    "updated_at": now,
                    "_origin": s.origin,
                }
                for s in self._subjects
            ],
            ["id"],
        )
        self._check_handles(rows)
        moved = self._moved_or_aged(rows)
        for row in rows:
            del row["_origin"]
        upsert(
            self.conn,
            Subject.__table__,  # type: ignore[arg-type]
            rows,
            keys=["id"],
            update=[
                "handle",
                "birth_date",
                "born_no_later_than",
                "country",
                "source",
                "updated_at",
            ],
        )
        if moved:
            self.conn.execute(
                insert(ChangeLog),
                [{"subject_pk": pk, "record_pk": None, "changed_at": now} for pk in moved],
            )
        self.report.subjects += len(rows)
        self._subjects.clear()
        self._resolve([row["id"] for row in rows])

    def _moved_or_aged(self, rows: list[dict[str, Any]]) -> list[int]:
        """The pks of stored subjects whose country or age ``rows`` change, for the
        snapshots' next re-check (a trigger on ``subjects`` slowed every SQLite import by a
        quarter: bench/README.md). The pks read are kept, not read again after the upsert."""
        t = Subject.__table__
        new = {row["id"]: (row["country"], row["born_no_later_than"]) for row in rows}
        ids = sorted(new)
        moved: list[int] = []
        for start in range(0, len(ids), 1000):
            query = select(t.c.id, t.c.pk, t.c.country, t.c.born_no_later_than).where(
                t.c.id.in_(ids[start : start + 1000])
            )
            for subject_id, pk, country, born in self.conn.execute(query):
                self._pks[subject_id] = int(pk)
                if new[subject_id] != (country, born):
                    moved.append(int(pk))
        return moved

    def _check_handles(self, rows: list[dict[str, Any]]) -> None:
        owner: dict[str, tuple[str, str]] = {}
        for row in rows:
            handle = row["handle"]
            if handle is None:
                continue
            if handle in owner and owner[handle][0] != row["id"]:
                raise InputError(
                    f"{row['_origin']}: handle @{handle} is already used by subject "
                    f"{owner[handle][0]!r} ({owner[handle][1]})"
                )
            owner[handle] = (row["id"], row["_origin"])
        if not owner:
            return
        t = Subject.__table__
        taken = self.conn.execute(select(t.c.handle, t.c.id).where(t.c.handle.in_(list(owner))))
        for handle, subject_id in taken:
            if owner[handle][0] != subject_id:
                raise InputError(
                    f"{owner[handle][1]}: handle @{handle} is already used by subject "
                    f"{subject_id!r} in the store"
                )

    def _resolve(self, ids: Sequence[str]) -> dict[str, int]:
        self._load_pks(ids)
        return {i: self._pks[i] for i in ids if i in self._pks}

    def _load_pks(self, ids: Sequence[str]) -> None:
        """Read the pks of ``ids`` not known yet into ``_pks``."""
        missing = sorted(set(ids).difference(self._pks))
        t = Subject.__table__
        for start in range(0, len(missing), 1000):
            chunk = missing[start : start + 1000]
            for subject_id, pk in self.conn.execute(
                select(t.c.id, t.c.pk).where(t.c.id.in_(chunk))
            ):
                self._pks[subject_id] = int(pk)

    def _pk_of(self, subject_id: str, origin: str) -> int:
        pk = self._pks.get(subject_id)
        if pk is None:
            raise InputError(
                f"{origin}: unknown subject {subject_id!r}: import its subject first "
                "(in JSONL, a `subject` line before it)"
            )
        return pk

    # --- records, consents, jobs -------------------------------------------------------------

    def _flush_records(self) -> None:
        if not self._records:
            return
        records = self._records
        ids = list(map(_SUBJECT_ID, records))
        self._load_pks(ids)
        if self._erasures_exist():
            records = self._without_erased_records(records)
            self._records = records
            if not records:
                return
            ids = list(map(_SUBJECT_ID, records))
        pks = list(map(self._pks.get, ids))
        if None in pks:
            first = records[pks.index(None)]
            self._pk_of(first.subject_id, first.origin)  # raises the error naming its line
        keys = list(map(_RECORD_KEY, records))
        if len(set(keys)) < len(keys):
            # The last row for a key wins, in first-seen order of the keys (as last_per_key).
            keep = list(dict(zip(keys, range(len(keys)), strict=True)).values())
            records = [records[i] for i in keep]
            pks = [pks[i] for i in keep]
        # Column by column with C-level getters: this runs for every record of every import.
        columns: dict[str, Sequence[Any]] = {"subject_pk": pks}
        for name in _RECORD_FIELDS:
            columns[name] = list(map(attrgetter(name), records))
        columns["updated_at"] = [datetime.now(UTC)] * len(records)
        upsert_columns(
            self.conn,
            Record.__table__,  # type: ignore[arg-type]
            columns,
            keys=("source", "source_id"),
            update=_RECORD_UPDATE,
        )
        self.report.stored.update(columns["category"])
        self._records.clear()

    def _flush_consents(self) -> None:
        if not self._consents:
            return
        self._resolve([row.subject_id for row, _ in self._consents])
        if self._erasures_exist():
            self._note_erased_subjects([row.subject_id for row, _ in self._consents])
            kept = [(row, d) for row, d in self._consents if row.subject_id not in self._erased]
            self._skip_erased(len(self._consents) - len(kept))
            self._consents = kept
            if not kept:
                return
        for row, _ in self._consents:
            self._pk_of(row.subject_id, row.origin)
        decisions = [decision for _, decision in self._consents]
        recorded, held = append_new(self.conn, self.policy, decisions)
        self.report.consents_recorded += recorded
        self.report.consents_already_held += held
        self._consents.clear()

    def _flush_jobs(self) -> None:
        if not self._jobs:
            return
        now = datetime.now(UTC)
        rows = last_per_key(
            [
                {
                    "id": j.id,
                    "employer": j.employer,
                    "title": j.title,
                    "description": j.description,
                    "location": j.location,
                    "skills": list(j.skills),
                    "posted_at": j.posted_at,
                    "source": j.source,
                    "updated_at": now,
                }
                for j in self._jobs
            ],
            ["id"],
        )
        upsert(
            self.conn,
            Job.__table__,  # type: ignore[arg-type]
            rows,
            keys=["id"],
            update=[
                "employer",
                "title",
                "description",
                "location",
                "skills",
                "posted_at",
                "source",
                "updated_at",
            ],
        )
        self.report.jobs += len(rows)
        self._jobs.clear()
