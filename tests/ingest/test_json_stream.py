"""Streaming JSON items with nesting capped: values, paths, and one-line errors."""

from __future__ import annotations

import io
import json
import tracemalloc
from typing import Any

import pytest

from purposely.ingest.json_stream import (
    MAX_DEPTH,
    BrokenJSONError,
    JSONStreamError,
    ShapeError,
    TooDeepError,
    items,
    read_object,
)


def stream(value: Any) -> io.BytesIO:
    """``value`` as the bytes of a JSON file (raw bytes are taken as they are)."""
    return io.BytesIO(value if isinstance(value, bytes) else json.dumps(value).encode())


def nested(depth: int) -> Any:
    """A value ``depth`` levels deep: lists inside lists, an object at the bottom."""
    value: Any = {"leaf": True}
    for _ in range(depth - 1):
        value = [value]
    return value


def failure(data: bytes, path: tuple[str, ...] = ()) -> JSONStreamError:
    """The error reading every item of ``data`` raises."""
    with pytest.raises(JSONStreamError) as caught:
        list(items(stream(data), path))
    return caught.value


# --- values ------------------------------------------------------------------------------------


def test_items_of_a_top_level_array_are_built_as_json_loads_would() -> None:
    values = [1, -2.5, "zwei", None, True, [], {}, {"a": [1, {"b": None}], "c": "d"}, [[1], [2]]]
    assert list(items(stream(values))) == values


def test_items_at_a_path_skip_everything_beside_it() -> None:
    document = {
        "@context": ["https://www.w3.org/ns/activitystreams", {"x": [[1, 2], {"y": {}}]}],
        "totalItems": 2,
        "orderedItems": [{"id": 1}, {"id": 2}],
        "after": {"more": [1, 2, 3]},
    }
    assert list(items(stream(document), ("orderedItems",))) == [{"id": 1}, {"id": 2}]
    assert list(items(stream({"a": {"skip": 1, "b": [3, 4]}}), ("a", "b"))) == [3, 4]


def test_values_as_deep_as_the_cap_are_read() -> None:
    assert list(items(stream([nested(MAX_DEPTH)]))) == [nested(MAX_DEPTH)]
    beside = {"other": nested(MAX_DEPTH), "orderedItems": [1]}
    assert list(items(stream(beside), ("orderedItems",))) == [1]


def test_items_are_read_one_at_a_time() -> None:
    reader = items(io.BytesIO(b'[{"n": 1}, {"n": 2}, x'))
    assert next(reader) == {"n": 1}
    assert next(reader) == {"n": 2}  # the broken third item is not read yet
    with pytest.raises(BrokenJSONError):
        next(reader)


def test_read_object_reads_one_whole_object() -> None:
    assert read_object(stream({"userInfo": {"accountId": "1"}, "n": [1.5]})) == {
        "userInfo": {"accountId": "1"},
        "n": [1.5],
    }


# --- too deep -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "path", "items_read"),
    [
        ([1, nested(MAX_DEPTH + 1)], (), 1),
        ({"orderedItems": [nested(MAX_DEPTH + 1)]}, ("orderedItems",), 0),
        ({"skipped": nested(MAX_DEPTH + 1), "orderedItems": []}, ("orderedItems",), 0),
    ],
    ids=["item", "item at a path", "value beside the path"],
)
def test_a_value_nested_deeper_than_the_cap_is_refused(
    document: Any, path: tuple[str, ...], items_read: int
) -> None:
    error = failure(json.dumps(document).encode(), path)
    assert isinstance(error, TooDeepError)
    assert str(error) == f"nested more than {MAX_DEPTH} levels deep"
    assert error.items_read == items_read


def test_hostile_nesting_is_refused_in_little_memory() -> None:
    """100,000 brackets: ``ijson.items`` would take gigabytes for this 200 kB."""
    data = b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]"
    tracemalloc.start()
    try:
        with pytest.raises(TooDeepError):
            list(items(io.BytesIO(data)))
        with pytest.raises(TooDeepError):
            read_object(io.BytesIO(b'{"a": ' + data + b"}"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"peak {peak:,} bytes"


# --- broken JSON: one line, nothing of the file quoted --------------------------------------------


@pytest.mark.parametrize(
    ("data", "message", "items_read"),
    [
        (b'[{"name": "Alice Secret"}, {"name": "Bob', "the JSON is cut off", 1),
        (b"", "the JSON is cut off", 0),
        (b'[{"name": "Alice Secret"}] ; more', "unexpected text after the JSON", 1),
        (b'[{"name": "Alice Secret"}, {"name": tru}]', "not valid JSON (", 1),
        (b'[{"name": "Alice Secret \xff"}]', "not valid JSON (lexical error: invalid bytes", 0),
        (b'[{"name": "Alice Secret"},, 1]', "not valid JSON (unallowed token", 1),
    ],
    ids=["cut off", "empty", "text after", "bad literal", "not UTF-8", "bad token"],
)
def test_broken_json_is_one_line_without_the_files_text(
    data: bytes, message: str, items_read: int
) -> None:
    error = failure(data)
    assert isinstance(error, BrokenJSONError)
    assert str(error).startswith(message)
    assert error.items_read == items_read
    for text in (str(error), error.detail):
        assert "\n" not in text and "Alice" not in text and "b'" not in text


def test_broken_json_says_what_kind_of_break() -> None:
    cut = failure(b"[1, 2, [")
    assert isinstance(cut, BrokenJSONError) and cut.cut_off and not cut.trailing
    after = failure(b"[1] [2]")
    assert isinstance(after, BrokenJSONError) and after.trailing and not after.cut_off
    assert after.detail == "parse error: trailing garbage"


def test_text_after_the_collection_is_found_after_the_items() -> None:
    error = failure(b'{"orderedItems": [1, 2], "x": 3} {}', ("orderedItems",))
    assert isinstance(error, BrokenJSONError) and error.trailing
    assert error.items_read == 2


def test_read_object_refuses_what_is_not_one_object() -> None:
    with pytest.raises(ShapeError, match=r"^expected a JSON object, found an array$"):
        read_object(stream([]))
    with pytest.raises(BrokenJSONError, match=r"^unexpected text after the JSON$"):
        read_object(io.BytesIO(b"{} {}"))
    with pytest.raises(BrokenJSONError, match=r"^the JSON is cut off"):
        read_object(io.BytesIO(b'{"a": [1, '))


# --- the wrong shape ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "path", "message"),
    [
        ({"a": 1}, (), "expected a JSON array, found an object"),
        ("text", (), "expected a JSON array, found a string"),
        ([1], ("orderedItems",), "expected a JSON object, found an array"),
        ({"items": []}, ("orderedItems",), "no 'orderedItems'"),
        (
            {"orderedItems": None},
            ("orderedItems",),
            "expected a JSON array at 'orderedItems', found null",
        ),
        ({"a": {"b": 7}}, ("a", "b"), "expected a JSON array at 'a.b', found a number"),
        ({"a": True}, ("a", "b"), "expected a JSON object at 'a', found true or false"),
        ({"a": {}}, ("a", "b"), "no 'a.b'"),
    ],
)
def test_the_wrong_shape_is_named(document: Any, path: tuple[str, ...], message: str) -> None:
    error = failure(json.dumps(document).encode(), path)
    assert isinstance(error, ShapeError)
    assert str(error) == message
