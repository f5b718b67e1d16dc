"""Bulk upserts: many rows per statement, on SQLite and PostgreSQL alike.

Rows go to the driver's own bulk path, past SQLAlchemy's per-row statement machinery:

- SQLite: one ``executemany`` of an ``INSERT ... ON CONFLICT DO UPDATE``;
- PostgreSQL: binary ``COPY`` into a temporary staging table, then one
  ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` from it.

Rows known to be new (a build's lineage) skip the conflict check: :func:`insert_new_columns`
copies them straight into the table on PostgreSQL.

Values are converted by the columns' own SQLAlchemy types (the same bind processors
SQLAlchemy would run, with quicker equivalents where they are checked to agree), so what is
stored is exactly what ``conn.execute(insert(...))`` would store, and a value or row the
database refuses raises the same SQLAlchemy exception. Both run inside the caller's
transaction. See bench/ingest.py for the figures.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from itertools import repeat
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Dialect,
    Integer,
    String,
    Table,
    TypeDecorator,
    bindparam,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeEngine

from purposely.store.models import UTCDateTime

Processor = Callable[[Any], Any]
_UNSET = object()


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``rows``; where ``keys`` match an existing row, overwrite its ``update`` columns
    (with no ``update`` columns, leave the existing row as it is).

    Rows must be unique on ``keys`` within one call (PostgreSQL refuses to touch a row twice
    in one statement); :func:`last_per_key` makes them so. All rows name the same columns.
    """
    if not rows:
        return
    names = list(rows[0])
    upsert_columns(
        conn, table, {name: [row[name] for row in rows] for name in names}, keys=keys, update=update
    )


def upsert_columns(
    conn: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """:func:`upsert` for rows given column by column: ``columns[name][i]`` is row i's value.

    No dict or tuple is built per row on the way. New rows get their primary keys in row
    order.
    """
    if not _has_rows(columns):
        return
    if not _fast_path(conn.dialect):
        _upsert_statement(conn, table, columns, keys=keys, update=update)
        return
    plan = _plan(conn.dialect, table, tuple(columns), tuple(keys), tuple(update))
    _run(conn, plan, list(columns.values()))


def insert_new_columns(
    conn: Connection, table: Table, columns: Mapping[str, Sequence[Any]]
) -> None:
    """Insert rows, given column by column, that no existing row can conflict with.

    On PostgreSQL a binary ``COPY`` straight into ``table``: no staging table and no
    conflict check per row: the lineage of a million-post build (660,000 rows, three
    B-trees) went in in 4.8 s instead of 8.2 s, timed in psql (bench/README.md). Should a
    key exist after all, the database refuses the whole insert (``IntegrityError``).
    Columns of JSON type are not supported (their binary form differs from their text).
    """
    if not _has_rows(columns):
        return
    if not _fast_path(conn.dialect):
        names = list(columns)
        rows = zip(*columns.values(), strict=True)
        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        return
    plan = _plan(conn.dialect, table, tuple(columns), (), (), direct=True)
    _run(conn, plan, list(columns.values()))


def _has_rows(columns: Mapping[str, Sequence[Any]]) -> bool:
    return bool(columns) and len(next(iter(columns.values()))) > 0


# The drivers whose own bulk paths (executemany, COPY) are used; others go through SQLAlchemy.
_FAST_DRIVERS = frozenset({("sqlite", "pysqlite"), ("postgresql", "psycopg")})


def _fast_path(dialect: Dialect) -> bool:
    return (dialect.name, dialect.driver) in _FAST_DRIVERS


def _run(conn: Connection, plan: _Plan, values: list[Sequence[Any]]) -> None:
    """Carry out ``plan`` for the rows of ``values`` (column by column)."""
    if plan.copy is None:
        _roomy_sqlite_cache(conn)
        conn.exec_driver_sql(plan.upsert, plan.bind(values))
        return
    # COPY needs the driver's cursor; the statement that can fail on the data (constraints,
    # column lengths) runs through SQLAlchemy, so its errors are the usual SQLAlchemy ones.
    driver = conn.connection.driver_connection
    assert driver is not None, "a connection in use has its driver connection"
    rows = plan.bind(values, _psycopg_json_text(driver))
    for statement in plan.stage:
        conn.exec_driver_sql(statement)
    try:
        with driver.cursor() as cursor, cursor.copy(plan.copy) as copy:
            copy.set_types(plan.copy_types)
            for row in rows:
                copy.write_row(row)
    except driver.Error as exc:  # as SQLAlchemy would have raised it
        raise DBAPIError.instance(plan.copy, None, exc, driver.Error) from exc
    if plan.upsert:
        conn.exec_driver_sql(plan.upsert)


def _upsert_statement(
    conn: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Through SQLAlchemy's executemany: for drivers without the paths above."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(table)
    stmt = (
        insert.on_conflict_do_update(
            index_elements=list(keys), set_={col: insert.excluded[col] for col in update}
        )
        if update
        else insert.on_conflict_do_nothing(index_elements=list(keys))
    )
    names = list(columns)
    rows = zip(*columns.values(), strict=True)
    conn.execute(stmt, [dict(zip(names, row, strict=True)) for row in rows])


# SQLite's default page cache is 2 MiB. Once a large import's indexes outgrow it, every
# batch spills dirty index pages to the WAL and reads them back, and the import slows down
# four-fold by a million records (bench/ingest.py). A bulk write gives its connection this
# much; pages are only allocated as they are used, so small imports do not pay for it, and
# the bound keeps peak memory flat however large the file.
SQLITE_CACHE_KIB = 163840


def _roomy_sqlite_cache(conn: Connection) -> None:
    """Raise the connection's page cache to SQLITE_CACHE_KIB (never lower it)."""
    size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    if size >= 0:  # a count of pages rather than KiB
        size = -size * int(conn.exec_driver_sql("PRAGMA page_size").scalar_one()) // 1024
    if -size < SQLITE_CACHE_KIB:
        conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def many_keys(keys: Iterable[int]) -> BindParameter[Any]:
    """``keys`` for ``column.in_(...)``, written into the SQL as numbers when it runs.

    Bound one parameter per key, a list can outgrow a statement: PostgreSQL binds at most
    65,535 values, SQLite 32,766 in its default build, and the members to re-check after a
    large import are more. Integers only (they are checked), so writing them in is safe.
    """
    values = [int(key) for key in keys]
    return bindparam("keys", values, expanding=True, literal_execute=True, unique=True)


# Rows SQLite's ANALYZE reads per index (``PRAGMA analysis_limit``): enough to tell a
# column naming a few rows from one naming a million, in milliseconds.
_ANALYSIS_LIMIT = 400


def analyze(conn: Connection, table: Table) -> None:
    """Tell the database's planner the shape of ``table`` after a bulk load.

    Without statistics, SQLite takes an equality on the first column of any index to name a
    few rows, and PostgreSQL (until autovacuum comes round) plans as for an empty table:
    with a million lineage rows of one snapshot, both read them all to find the few of the
    members a re-check asks about, instead of using the index on members (a rebuild took
    4.4 s instead of 1.1 s on PostgreSQL, bench/build.py). PostgreSQL samples 30,000 rows;
    SQLite reads a few hundred per index.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit = {_ANALYSIS_LIMIT}")
    conn.exec_driver_sql(f"ANALYZE {table.name}")


def last_per_key(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """``rows`` with only the last row for each key, in first-seen order of the keys."""
    latest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        latest[tuple(row[k] for k in keys)] = row
    return list(latest.values())


@dataclass(frozen=True)
class _Plan:
    """The statements and value converters for one (table, columns, keys) combination."""

    columns: tuple[str, ...]
    processors: tuple[tuple[int, Processor], ...]
    # Per JSON column: the text already produced for small flat dicts (see _memo_json).
    json_texts: dict[int, dict[tuple[Any, ...], Any]]
    upsert: str
    stage: tuple[str, ...]
    copy: str | None
    copy_types: tuple[str, ...] = ()

    def bind(
        self, columns: Sequence[Sequence[Any]], json_text: Processor | None = None
    ) -> list[tuple[Any, ...]]:
        """The rows of ``columns``, every value converted as SQLAlchemy would bind it.

        ``json_text`` turns the driver's JSON wrapper into the text the driver would send
        (for COPY, which then needs no per-row JSON encoding). With a COPY plan, each row
        ends with its position (the staging table's ``ord``).
        """
        converted = list(columns)
        for index, process in self.processors:
            memo = self.json_texts.get(index)
            if memo is not None:
                process = _memo_json(_then(process, json_text), memo)
            converted[index] = _convert(process, converted[index], self.columns[index])
        if self.stage:  # rows copied into the staging table end with their ``ord``
            converted.append(range(len(converted[0])))
        return list(zip(*converted, strict=True))


def _then(process: Processor, finish: Processor | None) -> Processor:
    return process if finish is None else lambda value: finish(process(value))


def _convert(process: Processor, values: Sequence[Any], column: str) -> tuple[Any, ...]:
    try:
        # A flush stamps every row with the very same `updated_at` object: convert it once.
        first = values[0]
        if all(map(operator.is_, values, repeat(first))):
            return (process(first),) * len(values)
        return tuple(map(process, values))
    except Exception as exc:  # what SQLAlchemy raises for a value it cannot bind
        raise StatementError(
            f"({type(exc).__module__}.{type(exc).__name__}) {exc}",
            f"bulk upsert, column {column}",
            None,
            exc,
        ) from exc


# JSON values whose equality implies equal JSON text (unlike 1 == 1.0 == True).
_PLAIN = frozenset({str, type(None)})


def _memo_json(process: Processor, memo: dict[tuple[Any, ...], Any]) -> Processor:
    """``process`` for a JSON column, remembering the text of dicts of strings.

    Records of one kind carry the same few small dicts (``{"visibility": "public"}``), and
    serialising each again is a large share of an import. Only dicts whose keys are strings
    and whose values are strings or None are remembered: for them equal means equal text.
    """

    def convert(value: Any) -> Any:
        if (
            type(value) is not dict
            or not _PLAIN.issuperset(map(type, value.values()))
            or not _PLAIN.issuperset(map(type, value))
        ):
            return process(value)
        key = tuple(value.items())
        found = memo.get(key, _UNSET)
        if found is _UNSET:
            if len(memo) >= 4096:
                memo.clear()
            found = memo[key] = process(value)
        return found

    return convert


_ZERO = timedelta(0)


def _fast_utc_datetime(process: Processor, dialect: Dialect) -> Processor | None:
    """A quicker ``process`` for a :class:`UTCDateTime` column, or None if it would differ.

    SQLite: SQLAlchemy formats a DATETIME from a dict of its fields; ``isoformat`` gives the
    same text at a fraction of the cost. PostgreSQL: an aware time goes to the driver as it
    is (it sends the instant; converting it to UTC first changes nothing stored). Used only
    if both agree on probe values; anything but an aware ``datetime`` goes the usual way,
    so a naive one fails as before.
    """

    def text(value: Any) -> Any:
        if type(value) is not datetime or value.tzinfo is None:
            return process(value)
        if value.utcoffset() != _ZERO:
            value = value.astimezone(UTC)
        # "YYYY-MM-DD HH:MM:SS.ffffff", without the "+00:00" that follows
        return value.isoformat(" ", "microseconds")[:26]

    def instant(value: Any) -> Any:
        if type(value) is not datetime or value.tzinfo is None:
            return process(value)
        return value

    fast = text if dialect.name == "sqlite" else instant
    probes = (
        datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=timezone(timedelta(hours=5))),
        datetime(2023, 3, 1, 0, 0, 0, tzinfo=timezone(timedelta(hours=-3, seconds=30))),
        datetime(1, 1, 1, 0, 0, 0, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
    )
    return fast if all(fast(p) == process(p) for p in probes) else None


@lru_cache(maxsize=64)
def _plan(
    dialect: Dialect,
    table: Table,
    columns: tuple[str, ...],
    keys: tuple[str, ...],
    update: tuple[str, ...],
    *,
    direct: bool = False,
) -> _Plan:
    """The plan of an upsert on ``keys`` (or, ``direct``, of a plain insert of new rows)."""
    quote = dialect.identifier_preparer.quote
    processors = []
    json_texts: dict[int, dict[tuple[Any, ...], Any]] = {}
    for index, name in enumerate(columns):
        kind = table.c[name].type
        process: Processor | None = kind.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            continue
        if isinstance(kind, JSON):
            json_texts[index] = {}
        elif isinstance(kind, UTCDateTime):
            process = _fast_utc_datetime(process, dialect) or process
        processors.append((index, process))
    names = ", ".join(quote(c) for c in columns)
    target = quote(table.name)
    conflict = "" if direct else _on_conflict(quote, keys, update)
    if dialect.name != "postgresql":
        marks = ", ".join("?" for _ in columns)
        return _Plan(
            columns=columns,
            processors=tuple(processors),
            json_texts=json_texts,
            upsert=f"INSERT INTO {target} ({names}) VALUES ({marks}) {conflict}".rstrip(),
            stage=(),
            copy=None,
        )
    if direct:
        if json_texts:
            raise TypeError(f"a direct insert into {table.name} cannot copy JSON columns")
        return _Plan(
            columns=columns,
            processors=tuple(processors),
            json_texts=json_texts,
            upsert="",
            stage=(),
            copy=f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)",
            copy_types=tuple(_copied(table.c[c].type, dialect) for c in columns),
        )
    # Session-private, emptied at commit; `ord` keeps the order rows were given in, so new
    # rows get their primary keys in that order as with a plain INSERT. Strings are staged
    # as text, so length limits are checked (and reported) by the INSERT; JSON is staged
    # as its text and cast there, which keeps the binary COPY from encoding it again.
    stage = quote(f"purposely_stage_{table.name}")
    staged = [_staged(table.c[c].type, dialect) for c in columns]
    definitions = ", ".join(f"{quote(c)} {kind}" for c, kind in zip(columns, staged, strict=True))
    selected = ", ".join(
        f"CAST({quote(c)} AS {table.c[c].type.compile(dialect=dialect)})"
        if isinstance(table.c[c].type, JSON)
        else quote(c)
        for c in columns
    )
    return _Plan(
        columns=columns,
        processors=tuple(processors),
        json_texts=json_texts,
        upsert=f"INSERT INTO {target} ({names}) SELECT {selected} FROM {stage} ORDER BY ord "
        + conflict,
        stage=(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ({definitions}, ord int8) "
            "ON COMMIT DROP",
            f"TRUNCATE {stage}",
        ),
        copy=f"COPY {stage} ({names}, ord) FROM STDIN (FORMAT BINARY)",
        copy_types=(*staged, "int8"),
    )


def _on_conflict(quote: Callable[[str], str], keys: Sequence[str], update: Sequence[str]) -> str:
    """The ``ON CONFLICT`` clause of an upsert on ``keys`` that overwrites ``update``."""
    target = ", ".join(quote(k) for k in keys)
    if not update:
        return f"ON CONFLICT ({target}) DO NOTHING"
    assignments = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
    return f"ON CONFLICT ({target}) DO UPDATE SET {assignments}"


def _copied(kind: TypeEngine[Any], dialect: Dialect) -> str:
    """The binary COPY type of a column of type ``kind``: its own type, except that strings
    go as text (the same bytes as varchar; the column's length limit still applies)."""
    base = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    if isinstance(base, Integer):
        return {"BIGINT": "int8", "SMALLINT": "int2"}.get(base.compile(dialect=dialect), "int4")
    return _staged(kind, dialect)


def _staged(kind: TypeEngine[Any], dialect: Dialect) -> str:
    """The staging column type for a column of type ``kind`` (a PostgreSQL type name)."""
    base = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    if isinstance(base, String | JSON):
        return "text"
    if isinstance(base, Boolean):
        return "bool"
    if isinstance(base, Integer):
        return "int8"
    if isinstance(base, DateTime):
        return "timestamptz" if base.timezone else "timestamp"
    if isinstance(base, Date):
        return "date"
    raise TypeError(f"bulk upsert has no staging type for {kind.compile(dialect=dialect)}")


def _psycopg_json_text(driver: Any) -> Processor:
    """What psycopg would send for a ``Json`` value on this connection, as text."""
    from psycopg.adapt import PyFormat
    from psycopg.types.json import Json

    dumper = driver.adapters.get_dumper(Json, PyFormat.TEXT)(Json, driver)

    def text(value: Any) -> Any:
        return bytes(dumper.dump(value)).decode() if isinstance(value, Json) else value

    return text
