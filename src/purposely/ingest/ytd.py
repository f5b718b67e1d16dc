"""Read the data files of an X (Twitter) archive one record at a time.

Each data file is ``window.YTD.<type>.partN = `` followed by JSON: an array of records, or
one object for ``manifest.js`` (whose real prefix is ``window.__THAR_CONFIG = ``). The prefix
is cut off the byte stream and the rest is read by :mod:`purposely.ingest.json_stream`, so a
2 GB ``tweets.js`` is never held in memory whole: only the record being read is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from purposely.errors import InputError
from purposely.ingest import json_stream
from purposely.ingest.archive import Archive, MemberStream
from purposely.ingest.json_stream import BrokenJSONError, JSONStreamError

# Where the prefix must end: X writes it on the first line, well within this many bytes.
_PREFIX_LIMIT = 512
_PREFIX = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*window\.(?:YTD\.[A-Za-z0-9_]+\.part\d+|__THAR_CONFIG)\s*$"
)
_CHUNK = 64 * 1024


def read_records(archive: Archive, name: str) -> Iterator[tuple[int, Any]]:
    """Each record of the data file ``name`` with its number (from 1), read as a stream.

    Raises :class:`InputError` naming the file and the record for a missing prefix, a file
    that is not an array, broken or cut-off JSON, and a record nested too deep.
    """
    origin = archive.origin(name)
    with archive.open(name) as raw:
        payload = _open_payload(raw, origin, b"[")
        try:
            yield from enumerate(json_stream.items(payload), start=1)
        except JSONStreamError as exc:
            raise InputError(f"{origin}: {_record_of(exc)}: {exc}") from None


def read_object(archive: Archive, name: str) -> dict[str, Any]:
    """The single JSON object in the file ``name`` (``manifest.js``); small, so read whole."""
    origin = archive.origin(name)
    with archive.open(name) as raw:
        payload = _open_payload(raw, origin, b"{")
        try:
            return json_stream.read_object(payload)
        except JSONStreamError as exc:
            raise InputError(f"{origin}: {exc}") from None


def _record_of(exc: JSONStreamError) -> str:
    """Where in the array the problem is: in a record, or after the last."""
    if isinstance(exc, BrokenJSONError) and exc.trailing:
        return f"after record {exc.items_read}"
    return f"record {exc.items_read + 1}"


class _Payload:
    """The JSON after the prefix, as a stream: the bytes read past the ``=``, then the rest."""

    def __init__(self, raw: MemberStream, head: bytes) -> None:
        self._raw = raw
        self._head = head

    def read(self, size: int = -1, /) -> bytes:
        """Up to ``size`` bytes (all that is left if negative)."""
        if self._head:
            cut = len(self._head) if size < 0 else size
            chunk, self._head = self._head[:cut], self._head[cut:]
            return chunk
        return self._raw.read(size)


def _open_payload(raw: MemberStream, origin: str, opening: bytes) -> _Payload:
    """Cut the ``window.YTD.<type>.partN =`` prefix and check what follows opens with
    ``opening`` (``[`` or ``{``)."""
    start = _read_start(raw)
    equals = start.find(b"=", 0, _PREFIX_LIMIT)
    match = _PREFIX.match(start[:equals]) if equals >= 0 else None
    if match is None:
        raise InputError(
            f"{origin}: does not start with `window.YTD.<type>.partN = ` "
            "(not a data file of an X archive)"
        )
    rest = _skip_blanks(start[equals + 1 :], raw)
    if rest[:1] != opening:
        found = repr(rest[:1].decode(errors="replace")) if rest else "nothing"
        kind = "an array" if opening == b"[" else "an object"
        raise InputError(f"{origin}: expected {kind} after the `=` of the prefix, found {found}")
    return _Payload(raw, rest)


def _read_start(raw: MemberStream) -> bytes:
    start = b""
    while len(start) < _PREFIX_LIMIT and b"=" not in start:
        chunk = raw.read(_CHUNK)
        if not chunk:
            break
        start += chunk
    return start


def _skip_blanks(rest: bytes, raw: MemberStream) -> bytes:
    rest = rest.lstrip()
    while not rest:
        chunk = raw.read(_CHUNK)
        if not chunk:
            return b""
        rest = chunk.lstrip()
    return rest
