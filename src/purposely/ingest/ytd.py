"""Read an X (Twitter) archive, a ZIP file or its unpacked folder, one record at a time.

Each data file of the archive is ``window.YTD.<type>.partN = `` followed by JSON: an array of
records, or one object for ``manifest.js`` (whose real prefix is ``window.__THAR_CONFIG = ``).
The prefix is cut off the byte stream and the rest goes to ijson, so a 2 GB ``tweets.js`` is
never held in memory whole: only the record being read is. Bytes are counted as they are read,
scaled to their compressed size in a ZIP, so a progress bar over the archive's size ends full.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import ijson

from purposely.errors import InputError

Progress = Callable[[int], None]

# Where the prefix must end: X writes it on the first line, well within this many bytes.
_PREFIX_LIMIT = 512
_PREFIX = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*window\.(?:YTD\.[A-Za-z0-9_]+\.part\d+|__THAR_CONFIG)\s*$"
)
_CHUNK = 64 * 1024
# Errors a damaged ZIP member raises while it is read: CRC, inflate, cut-off data; and
# RuntimeError for an encrypted member or (its subclass) an unsupported compression method.
_ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError)


@dataclass(frozen=True)
class Member:
    """One file inside the archive."""

    name: str  # POSIX path inside the archive, e.g. ``data/tweets.js``
    size: int  # bytes once read
    stored_size: int  # bytes it takes in the archive (compressed in a ZIP): what progress counts


class Archive(Protocol):
    """The files of an archive, and a way to read each; a ZIP file or a folder."""

    path: Path
    members: list[Member]

    def origin(self, name: str) -> str:
        """How error messages name the member ``name``."""
        ...

    def open(self, member: Member) -> IO[bytes]:
        """A binary stream of ``member``'s bytes."""
        ...

    def close(self) -> None:
        """Release what the archive holds open."""
        ...


class ZipArchive:
    """An archive as X delivers it: one ZIP file."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.members = [
            Member(info.filename, info.file_size, info.compress_size)
            for info in zf.infolist()
            if not info.is_dir()
        ]
        self._zip = zf

    def origin(self, name: str) -> str:
        """``archive.zip:data/tweets.js``."""
        return f"{self.path}:{name}"

    def open(self, member: Member) -> IO[bytes]:
        """The member, inflated as it is read."""
        try:
            return self._zip.open(member.name)
        except _ZIP_READ_ERRORS as exc:
            raise InputError(f"{self.origin(member.name)}: cannot read it: {exc}") from None

    def close(self) -> None:
        """Close the ZIP file."""
        self._zip.close()


class FolderArchive:
    """An unpacked archive, or a folder holding its ``.js`` files directly."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.members = [
            Member(p.relative_to(path).as_posix(), p.stat().st_size, p.stat().st_size)
            for p in sorted(path.rglob("*"))
            if p.is_file()
        ]

    def origin(self, name: str) -> str:
        """The file's path."""
        return str(self.path / name)

    def open(self, member: Member) -> IO[bytes]:
        """The file, opened for reading."""
        try:
            return (self.path / member.name).open("rb")
        except OSError as exc:
            raise InputError(f"{self.origin(member.name)}: cannot open: {exc.strerror}") from None

    def close(self) -> None:
        """Nothing is held open between reads."""


@contextmanager
def open_archive(path: Path) -> Iterator[Archive]:
    """The archive at ``path``; one clear error if it is neither a folder nor a sound ZIP."""
    archive = _archive_at(path)
    try:
        yield archive
    finally:
        archive.close()


def _archive_at(path: Path) -> Archive:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if path.is_dir():
        return FolderArchive(path)
    try:
        return ZipArchive(path, zipfile.ZipFile(path))
    except zipfile.BadZipFile as exc:
        if _starts_like_a_zip(path):
            raise InputError(f"{path}: damaged ZIP archive ({exc})") from None
        raise InputError(f"{path}: not a ZIP archive or a folder") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from None


def _starts_like_a_zip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


class _Payload:
    """The JSON after the prefix, as a file ijson can read; counts bytes as they pass."""

    def __init__(self, raw: IO[bytes], head: bytes, origin: str, counted: Progress) -> None:
        self._raw = raw
        self._head = head
        self._origin = origin
        self._counted = counted

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (all that is left if negative)."""
        if self._head:
            cut = len(self._head) if size < 0 else size
            chunk, self._head = self._head[:cut], self._head[cut:]
            return chunk
        chunk = _read_raw(self._raw, size, self._origin)
        self._counted(len(chunk))
        return chunk


def _read_raw(raw: IO[bytes], size: int, origin: str) -> bytes:
    try:
        return raw.read(size)
    except _ZIP_READ_ERRORS as exc:
        raise InputError(f"{origin}: damaged inside the ZIP archive ({exc})") from None
    except OSError as exc:
        raise InputError(f"{origin}: cannot read: {exc.strerror or exc}") from None


class _Meter:
    """Turns bytes read from a member into bytes of the archive, for ``progress``."""

    def __init__(self, member: Member, progress: Progress) -> None:
        self._member = member
        self._progress = progress
        self._read = 0
        self._reported = 0

    def read(self, n: int) -> None:
        """``n`` more bytes of the member were read."""
        self._read += n
        if self._member.size > 0:
            self._advance_to(self._member.stored_size * self._read // self._member.size)

    def done(self) -> None:
        """The member was read to its end (or skipped whole)."""
        self._advance_to(self._member.stored_size)

    def _advance_to(self, target: int) -> None:
        target = min(target, self._member.stored_size)
        if target > self._reported:
            self._progress(target - self._reported)
            self._reported = target


def skip(member: Member, progress: Progress) -> None:
    """Count ``member`` as passed without reading it."""
    _Meter(member, progress).done()


def read_records(archive: Archive, member: Member, progress: Progress) -> Iterator[tuple[int, Any]]:
    """Each record of ``member``'s array with its number (from 1), read as a stream.

    Raises :class:`InputError` naming the member and the record for a missing prefix,
    a file that is not an array, and broken or cut-off JSON.
    """
    origin = archive.origin(member.name)
    meter = _Meter(member, progress)
    with archive.open(member) as raw:
        payload = _open_payload(raw, origin, b"[", meter.read)
        yield from _numbered(ijson.items(payload, "item", use_float=True), origin)
    meter.done()


def read_object(archive: Archive, member: Member, progress: Progress) -> dict[str, Any]:
    """The single JSON object in ``member`` (``manifest.js``); small, so read whole."""
    origin = archive.origin(member.name)
    meter = _Meter(member, progress)
    with archive.open(member) as raw:
        payload = _open_payload(raw, origin, b"{", meter.read)
        try:
            found: dict[str, Any] = next(ijson.items(payload, "", use_float=True))
        except ijson.JSONError as exc:
            raise InputError(f"{origin}: {_json_problem(exc)}") from None
    meter.done()
    return found


def _numbered(items: Iterator[Any], origin: str) -> Iterator[tuple[int, Any]]:
    number = 0
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except ijson.JSONError as exc:
            where = f"after record {number}" if _trailing(exc) else f"record {number + 1}"
            raise InputError(f"{origin}: {where}: {_json_problem(exc)}") from None
        number += 1
        yield number, item


def _trailing(exc: Exception) -> bool:
    """True if the JSON was whole but more text followed it."""
    return "trailing garbage" in str(exc)


def _json_problem(exc: Exception) -> str:
    """yajl's multi-line message, said in one line."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "premature EOF" in first:
        return "the JSON is cut off (is the file truncated?)"
    if _trailing(exc):
        return "unexpected text after the JSON"
    return f"not valid JSON ({first.removeprefix('parse error: ')})"


def _open_payload(raw: IO[bytes], origin: str, opening: bytes, counted: Progress) -> _Payload:
    """Cut the ``window.YTD.<type>.partN =`` prefix and check what follows opens with
    ``opening`` (``[`` or ``{``)."""
    start = _read_start(raw, origin)
    counted(len(start))
    equals = start.find(b"=", 0, _PREFIX_LIMIT)
    match = _PREFIX.match(start[:equals]) if equals >= 0 else None
    if match is None:
        raise InputError(
            f"{origin}: does not start with `window.YTD.<type>.partN = ` "
            "(not a data file of an X archive)"
        )
    rest = _skip_blanks(start[equals + 1 :], raw, origin, counted)
    if rest[:1] != opening:
        found = repr(rest[:1].decode(errors="replace")) if rest else "nothing"
        kind = "an array" if opening == b"[" else "an object"
        raise InputError(f"{origin}: expected {kind} after the `=` of the prefix, found {found}")
    return _Payload(raw, rest, origin, counted)


def _read_start(raw: IO[bytes], origin: str) -> bytes:
    start = b""
    while len(start) < _PREFIX_LIMIT and b"=" not in start:
        chunk = _read_raw(raw, _CHUNK, origin)
        if not chunk:
            break
        start += chunk
    return start


def _skip_blanks(rest: bytes, raw: IO[bytes], origin: str, counted: Progress) -> bytes:
    rest = rest.lstrip()
    while not rest:
        chunk = _read_raw(raw, _CHUNK, origin)
        if not chunk:
            return b""
        counted(len(chunk))
        rest = chunk.lstrip()
    return rest
