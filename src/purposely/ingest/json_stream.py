"""Read JSON from a byte stream one array item at a time, with nesting depth capped.

Values are built from ijson's basic events, which carry no path. ``ijson.items`` keeps the
path of every open level, so its memory grows with the square of the nesting depth: a 200 kB
file of nested brackets takes gigabytes. Here depth is counted, and a value nested more than
:data:`MAX_DEPTH` levels stops the read with :class:`TooDeepError`.

Every problem is a :class:`JSONStreamError` whose message is one line and quotes nothing of
the file (yajl's messages quote the text around the error, which may be personal data). The
importer adds the file's name and the item's number, which ``items_read`` gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import ijson

# No export of a social network nests this deep; a file that does is hostile or broken.
MAX_DEPTH = 64

Event = tuple[str, Any]
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_KINDS = {
    "start_map": "an object",
    "start_array": "an array",
    "string": "a string",
    "boolean": "true or false",
    "null": "null",
}


class ByteStream(Protocol):
    """What the readers read: anything with a binary ``read``."""

    def read(self, size: int = ..., /) -> bytes:
        """Up to ``size`` bytes; fewer only at the end."""
        ...


class JSONStreamError(Exception):
    """The JSON could not be read; the message is one line. ``items_read`` counts the items
    read whole before the problem, so the item it is in is ``items_read + 1``."""

    def __init__(self, message: str, items_read: int) -> None:
        super().__init__(message)
        self.items_read = items_read


class BrokenJSONError(JSONStreamError):
    """Not JSON: a syntax error, a file cut off, or text after the JSON."""

    def __init__(self, detail: str, items_read: int) -> None:
        self.detail = detail  # yajl's own words, first line only
        self.cut_off = "premature EOF" in detail
        self.trailing = "trailing garbage" in detail
        super().__init__(self._explain(), items_read)

    def _explain(self) -> str:
        if self.cut_off:
            return "the JSON is cut off (is the file truncated?)"
        if self.trailing:
            return "unexpected text after the JSON"
        return f"not valid JSON ({self.detail.removeprefix('parse error: ')})"


class TooDeepError(JSONStreamError):
    """A value nested more than :data:`MAX_DEPTH` levels deep."""

    def __init__(self, items_read: int) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep", items_read)


class ShapeError(JSONStreamError):
    """Valid JSON, but not shaped as asked: no object or array where the path leads."""


def items(stream: ByteStream, path: Sequence[str] = ()) -> Iterator[Any]:
    """Each value of the array at ``path`` (keys of nested objects; empty for a top-level
    array), built one at a time; the rest of the document is checked but not kept."""
    reader = _Reader(stream)
    try:
        yield from reader.array_at(reader.next(), path, 0)
        reader.finish()
    except ijson.JSONError as exc:
        raise BrokenJSONError(_first_line(exc), reader.items_read) from None


def read_object(stream: ByteStream) -> dict[str, Any]:
    """The one JSON object the stream holds, built whole: for small files only."""
    reader = _Reader(stream)
    try:
        first = reader.next()
        if first[0] != "start_map":
            raise ShapeError(f"expected a JSON object, found {_kind(first)}", 0)
        found: dict[str, Any] = reader.build(first)
        reader.finish()
    except ijson.JSONError as exc:
        raise BrokenJSONError(_first_line(exc), 0) from None
    return found


class _Reader:
    """ijson's basic events of one document, and values built or skipped from them."""

    def __init__(self, stream: ByteStream) -> None:
        self._events: Iterator[Event] = iter(ijson.basic_parse(stream, use_float=True))
        self.items_read = 0

    def next(self) -> Event:
        """The next event; none left inside a value means the file is cut off."""
        event = next(self._events, None)
        if event is None:
            raise self._cut_off()
        return event

    def finish(self) -> None:
        """Read to the end of the document: ijson raises on anything after it."""
        for _event in self._events:
            pass

    def array_at(self, first: Event, path: Sequence[str], level: int) -> Iterator[Any]:
        """The items of the array at ``path[level:]`` inside the value that starts with
        ``first``; values beside the path are skipped."""
        if level == len(path):
            if first[0] != "start_array":
                raise self._shape("a JSON array", path[:level], first)
            while (event := self.next())[0] != "end_array":
                item = self.build(event)
                self.items_read += 1
                yield item
            return
        if first[0] != "start_map":
            raise self._shape("a JSON object", path[:level], first)
        found = False
        while (event := self.next())[0] != "end_map":
            value = self.next()
            if event[1] == path[level]:
                found = True
                yield from self.array_at(value, path, level + 1)
            else:
                self.skip(value)
        if not found:
            raise ShapeError(f"no {'.'.join(path[: level + 1])!r}", self.items_read)

    def build(self, first: Event) -> Any:
        """The value that starts with ``first``, built from its events."""
        if first[0] not in _OPEN:
            return first[1]
        # A hand-rolled builder: this loop runs for every event of a 2 GB file, and is
        # faster than ijson.ObjectBuilder's method call per event.
        current: Any = {} if first[0] == "start_map" else []
        parents: list[Any] = []
        key = ""
        for event, value in self._events:
            if event == "map_key":
                key = value
            elif event in _OPEN:
                if len(parents) + 1 >= MAX_DEPTH:
                    raise TooDeepError(self.items_read)
                child: Any = {} if event == "start_map" else []
                _put(current, key, child)
                parents.append(current)
                current = child
            elif event in _CLOSE:
                if not parents:
                    return current
                current = parents.pop()
            else:
                _put(current, key, value)
        raise self._cut_off()

    def skip(self, first: Event) -> None:
        """Step over the value that starts with ``first``, keeping nothing of it."""
        if first[0] not in _OPEN:
            return
        depth = 1
        for event, _value in self._events:
            if event in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    raise TooDeepError(self.items_read)
            elif event in _CLOSE:
                depth -= 1
                if depth == 0:
                    return
        raise self._cut_off()

    def _cut_off(self) -> BrokenJSONError:
        # ijson raises on a cut-off document before its events run out: this is a safeguard.
        return BrokenJSONError("premature EOF", self.items_read)

    def _shape(self, expected: str, path: Sequence[str], found: Event) -> ShapeError:
        at = f" at {'.'.join(path)!r}" if path else ""
        return ShapeError(f"expected {expected}{at}, found {_kind(found)}", self.items_read)


def _put(container: Any, key: str, value: Any) -> None:
    if type(container) is dict:
        container[key] = value
    else:
        container.append(value)


def _kind(first: Event) -> str:
    """What a JSON value is, from its first event, for error messages."""
    return _KINDS.get(first[0], "a number")


def _first_line(exc: Exception) -> str:
    """yajl's message without the quoted text it appends (which may be personal data)."""
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return text.strip().splitlines()[0].strip() if text.strip() else type(exc).__name__
