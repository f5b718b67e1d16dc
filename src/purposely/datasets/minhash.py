"""Sketches of short posts for duplicate detection: comparison text, content hash, MinHash.

This is the part of deduplication that can run anywhere (a worker of a Ray or
multiprocessing executor, or the driver itself): it turns texts into fixed-size numbers and
keeps no state between calls, so chunks sketched separately and concatenated are equal to
the whole sketched at once. Clustering the sketches is :mod:`purposely.datasets.dedup`.

**Comparison text.** Two posts are compared after ``comparison_text``:

1. Unicode NFKC (full-width letters, ligatures and the "bold" mathematical letters some
   clients post become plain letters);
2. whitespace-separated tokens that are links (contain ``://`` or start with ``www.``),
   mentions or e-mail addresses (contain ``@``; this covers Mastodon's ``@user@host``), a
   retweet marker (``RT`` right before a mention) or redaction placeholders (``[EMAIL]``,
   ``<URL>``, ``{PHONE}``: brackets round capitals, digits and ``_``) are removed, because
   a post re-shared with another link or another addressee is the same text;
3. case folding (Unicode simple case folding, plus ``ß`` and ``ẞ`` to ``ss`` so that
   ``STRASSE`` and ``Straße`` agree);
4. letters, digits and combining marks stay; apostrophes, zero-width and other format
   characters, variation selectors and enclosing marks are dropped (``don't`` equals
   ``dont``, an emoji's invisible parts leave no trace); every other character
   (punctuation, symbols, emoji, whitespace) becomes a space;
5. runs of spaces become one, and leading and trailing spaces go.

**Content hash.** BLAKE2b-128 of the comparison text in UTF-8 (personalised
``purposely.dedup``). A post whose comparison text is empty (only a link, only emoji) is
hashed by its raw text instead, so two different link-only posts are not exact duplicates.

**MinHash.** The shingles of a post are the overlapping ``shingle``-character windows of its
comparison text (a text shorter than that is one shingle). Each shingle is hashed once, to
32 bits (a seeded polynomial over its code points, then the murmur3 finaliser), and the
signature is a *one-permutation hash* (Li, Owen and Zhang 2012): the top 16 bits choose one
of ``num_perm`` bins, the low 16 bits compete for the bin's minimum. Bins left empty (short
posts) copy the minimum of the first non-empty bin along a fixed pseudo-random order of the
other bins ("optimal densification", Shrivastava 2017), which keeps the estimate unbiased.
The fraction of equal slots of two signatures then estimates the Jaccard similarity of the
shingle sets about as well as ``num_perm`` classic MinHash permutations, ``(a*x + b) mod p``
each, while hashing each shingle once instead of ``num_perm`` times: that, not
vectorisation alone, is what makes a million posts take seconds. Minima of 16 bits
("b-bit minwise hashing", Li and König 2010) halve memory; two slots filled from different
shingles agree by chance about once in 65,536, a bias far below the estimate's noise. A post
with no shingles (empty comparison text) gets a signature of zeros, which no real signature
has, and is never a near duplicate.

Everything is derived from the ``seed`` through BLAKE2b, never from Python's ``hash()``, and
uses integer arithmetic only, so the same texts give the same bytes on every run and
machine (with the same Unicode database, that is the same Python minor version).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from numpy.typing import NDArray

U16 = NDArray[np.uint16]
U32 = NDArray[np.uint32]
U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]
Bools = NDArray[np.bool_]

# Code points of the comparison text while it is built: 0 separates the posts of a block,
# DROP marks a character removed without a trace, SPACE any separating character.
_SEPARATOR = 0
_DROP = 1
_SPACE = 0x20
# Code points below _TABLE (the BMP and the plane of emoji and mathematical letters) are
# mapped through a table; the rest, rare, one by one.
_TABLE = 0x20000
_APOSTROPHES = frozenset("'`\u00b4\u02bc\u2018\u2019\u2032")
# After NFKC every whitespace character is at most U+0020 except these, made spaces first.
# Case folding is by table, one code point to one, except for these.
_REPLACE: tuple[tuple[str, str], ...] = (("ß", "ss"), ("ẞ", "ss"), ("\x85", " "), ("\u1680", " "))
_REPLACE += (("\u2028", " "), ("\u2029", " "))
_AT, _COLON, _SLASH, _DOT = (np.uint32(ord(c)) for c in "@:/.")
_PLACEHOLDER = re.compile(r"[\[<{][A-Z0-9_]+[\]>}]\W*")
# Posts are sketched in blocks: big enough that numpy's per-call overhead vanishes, small
# enough that a block's arrays stay in the CPU's caches.
_BLOCK = 1024
# Content hashes use their own personalisation and do not depend on the MinHash seed.
_PERSON = b"purposely.dedup"
_RAW = b"\x00raw\x00"
_EMPTY = np.uint32(0xFFFFFFFF)
# Densification steps taken for all empty bins at once before the stragglers are settled
# one by one: after 12 steps only bins of posts with very few shingles remain.
_DENSE_STEPS = 12


@dataclass(frozen=True)
class Sketch:
    """What clustering needs of each post, row ``i`` for post ``i``.

    ``exact`` is the content hash as two ``uint64`` (shape ``(n, 2)``), ``signatures`` the
    b-bit MinHash signature (shape ``(n, num_perm)``, ``uint16``; zeros for a post without
    shingles). Sketches of consecutive chunks concatenate (``Sketch.concat``) to the sketch of
    the whole.
    """

    exact: U64
    signatures: U16

    def __len__(self) -> int:
        return int(self.exact.shape[0])

    @staticmethod
    def concat(parts: Sequence[Sketch]) -> Sketch:
        """The sketch of the chunks ``parts`` in order, as if sketched in one call."""
        if not parts:
            raise ValueError("no sketches to concatenate")
        return Sketch(
            np.concatenate([p.exact for p in parts]),
            np.concatenate([p.signatures for p in parts]),
        )


def seeded_words(seed: int, label: str, count: int, bits: int = 64) -> list[int]:
    """``count`` pseudo-random ``bits``-bit integers for ``label`` and ``seed``, the same on
    every machine and Python (BLAKE2b, not ``random`` or ``hash()``)."""
    return [
        int.from_bytes(
            hashlib.blake2b(f"{label}:{seed}:{i}".encode(), digest_size=bits // 8).digest(),
            "little",
        )
        for i in range(count)
    ]


# --- comparison text ------------------------------------------------------------------------


def _map_char(cp: int) -> int:
    """What code point ``cp`` becomes in the comparison text: itself folded, SPACE or DROP."""
    if cp == _SEPARATOR:
        return _SEPARATOR
    char = chr(cp)
    category = unicodedata.category(char)
    if char in _APOSTROPHES or category in ("Cf", "Me") or _is_variation_selector(cp):
        return _DROP
    if category[0] in "LN" or category in ("Mn", "Mc"):
        folded = char.casefold()
        return ord(folded) if len(folded) == 1 else cp
    return _SPACE


def _is_variation_selector(cp: int) -> bool:
    """Variation selectors (emoji or text presentation), which are combining marks."""
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x180B <= cp <= 0x180D


@cache
def _table() -> U32:
    """``_map_char`` for every code point below ``_TABLE``, built once per process (50 ms)."""
    return np.fromiter((_map_char(cp) for cp in range(_TABLE)), np.uint32, _TABLE)


@cache
def _map_rare(cp: int) -> int:
    """``_map_char`` for code points beyond the table (CJK extensions, tags), remembered."""
    return _map_char(cp)


def _join(texts: Sequence[str]) -> str:
    """The block as one string, posts separated by NUL (removed from inside posts)."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    # Before NFKC, so that "ß" and an accent after it compose as "s" and the accent would.
    for old, new in _REPLACE:
        if old in joined:
            joined = joined.replace(old, new)
    return joined


@cache
def _unstable() -> Bools:
    """Code points below ``_TABLE`` that NFKC may change in some text: those it maps to
    something else, those with a non-zero combining class (reordered), those that compose
    with the character before them (second halves of canonical compositions, Hangul vowels
    and final consonants). A text without any of them is NFKC already. Built once per
    process (about 100 ms)."""
    unstable = np.fromiter((_is_unstable(cp) for cp in range(_TABLE)), np.bool_, _TABLE)
    unstable[0x1161:0x1176] = unstable[0x11A8:0x11C3] = True
    for cp in range(_TABLE):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            unstable[int(parts[1], 16)] = True
    return unstable


def _is_unstable(cp: int) -> bool:
    """Whether NFKC changes ``cp`` alone or may move it among other combining marks."""
    char = chr(cp)
    return unicodedata.combining(char) != 0 or unicodedata.normalize("NFKC", char) != char


def _nfkc(raw: U32) -> U32:
    """The block with every post that is not NFKC yet normalised: such posts are found by
    table in one pass and normalised one by one (mostly posts with a "…" in them)."""
    found = np.flatnonzero(_unstable()[_table_index(raw)])
    if raw.size and int(raw.max()) >= _TABLE:
        found = np.union1d(found, np.flatnonzero(raw >= _TABLE))
    if found.size == 0:
        return raw
    bounds = np.concatenate(([-1], np.flatnonzero(raw == _SEPARATOR), [raw.size]))
    pieces = []
    done = 0
    for post in np.unique(np.searchsorted(bounds, found) - 1).tolist():
        start, end = int(bounds[post]) + 1, int(bounds[post + 1])
        pieces += [
            raw[done:start],
            _code_points(unicodedata.normalize("NFKC", _decode(raw[start:end]))),
        ]
        done = end
    pieces.append(raw[done:])
    return np.concatenate(pieces)


def _code_points(text: str) -> U32:
    """``text`` as an array of code points (lone surrogates included)."""
    data = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return data.astype(np.uint32, copy=False)


def _removed_tokens(raw: U32) -> tuple[I64, I64]:
    """Start and end of each whitespace-separated token to remove: links, mentions and
    e-mail addresses, retweet markers and redaction placeholders."""
    bounds = np.concatenate(([-1], np.flatnonzero(raw <= _SPACE), [raw.size]))
    starts, ends = bounds[:-1] + 1, bounds[1:]
    padded = np.concatenate((raw, np.zeros(4, np.uint32)))  # room to look 3 ahead
    first = padded[starts]
    remove = np.zeros(starts.size, np.bool_)
    colons = np.flatnonzero(raw == _COLON)
    links = colons[(padded[colons + 1] == _SLASH) & (padded[colons + 2] == _SLASH)]
    remove[np.searchsorted(bounds, links) - 1] = True
    mentions = np.searchsorted(bounds, np.flatnonzero(raw == _AT)) - 1
    remove[mentions] = True
    remove[_retweet_markers(padded, starts, ends, mentions)] = True
    remove[_www(padded, starts, first)] = True
    remove[_placeholders(raw, starts, ends, first)] = True
    return starts[remove], ends[remove]


def _www(padded: U32, starts: I64, first: U32) -> I64:
    """Tokens starting with ``www.`` (any case)."""
    found = np.flatnonzero((first | 32) == ord("w"))
    at = starts[found]
    www = ((padded[at + 1] | 32) == ord("w")) & ((padded[at + 2] | 32) == ord("w"))
    matches: I64 = found[www & (padded[at + 3] == _DOT)]
    return matches


def _retweet_markers(padded: U32, starts: I64, ends: I64, mentions: I64) -> I64:
    """Tokens ``RT`` (any case) right before a mention, in the same post."""
    prev = mentions[mentions > 0] - 1
    start, end = starts[prev], ends[prev]
    marker = (end - start == 2) & (padded[end] != _SEPARATOR)
    marker &= ((padded[start] | 32) == ord("r")) & ((padded[start + 1] | 32) == ord("t"))
    markers: I64 = prev[marker]
    return markers


def _placeholders(raw: U32, starts: I64, ends: I64, first: U32) -> list[int]:
    """Tokens like ``[EMAIL]``: the few that start with a bracket are checked by a regex."""
    found = np.flatnonzero((first == ord("[")) | (first == ord("<")) | (first == ord("{")))
    return [
        t
        for t in found.tolist()
        if _PLACEHOLDER.fullmatch(_decode(raw[int(starts[t]) : int(ends[t])]))
    ]


def _ranges(starts: I64, ends: I64) -> I64:
    """All positions from ``starts[i]`` to ``ends[i]`` (exclusive), for every ``i``."""
    lengths = ends - starts
    shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return shift + np.arange(int(lengths.sum()), dtype=np.int64)


def _table_index(raw: U32) -> NDArray[np.intp]:
    """``raw`` as indices into the tables (clipped to their last entry, a noncharacter).

    Indexing converts indices to ``intp`` anyway; converting once is half the cost."""
    if raw.size and int(raw.max()) >= _TABLE:
        raw = np.minimum(raw, _TABLE - 1)
    return raw.astype(np.intp)


def _map_block(raw: U32) -> U32:
    """Each code point mapped by ``_map_char``: through the table, and the rest one by one."""
    mapped = _table()[_table_index(raw)]
    rare = np.flatnonzero(raw >= _TABLE) if raw.size and int(raw.max()) >= _TABLE else None
    if rare is not None:
        values, inverse = np.unique(raw[rare], return_inverse=True)
        table = np.fromiter((_map_rare(int(v)) for v in values), np.uint32, values.size)
        mapped[rare] = table[inverse]
    return mapped


def _collapse(mapped: U32) -> U32:
    """Remove DROP; a run of SPACE becomes one SPACE between two characters of a post and
    nothing next to a separator or at either end."""
    if np.any(mapped == _DROP):
        mapped = mapped[mapped != _DROP]
    # First keep only spaces right after a character: one per run, none after a separator.
    word = mapped > _SPACE
    keep = word.copy()
    keep[1:] |= word[:-1]
    keep |= mapped == _SEPARATOR
    text = mapped[keep]
    # Then drop the spaces before a separator or at the end.
    trailing = text == _SPACE
    trailing[:-1] &= text[1:] == _SEPARATOR
    collapsed: U32 = text[~trailing] if trailing.any() else text
    return collapsed


def _normalise_block(texts: Sequence[str]) -> tuple[U32, I64]:
    """The comparison texts of ``texts`` back to back, each followed by a separator but the
    last, and their lengths."""
    joined = _join(texts)
    raw = _code_points(joined)
    if not joined.isascii():
        raw = _nfkc(raw)
    mapped = _map_block(raw)
    starts, ends = _removed_tokens(raw)
    if starts.size:
        mapped[_ranges(starts, ends)] = _SPACE
    text = _collapse(mapped)
    # Every combining mark is at U+0300 or above; most German and English blocks are not.
    if text.size and int(text.max()) >= 0x300:
        text = _recompose(text)
    separators = np.flatnonzero(text == _SEPARATOR)
    lengths = np.diff(np.concatenate(([-1], separators, [text.size]))) - 1
    return text, lengths


@cache
def _marks() -> Bools:
    """Which code points below ``_TABLE`` are combining marks, built once per process."""
    cps = range(_TABLE)
    return np.fromiter((unicodedata.category(chr(cp))[0] == "M" for cp in cps), np.bool_, _TABLE)


def _recompose(text: U32) -> U32:
    """NFKC again for the posts with combining marks: folding may have turned a letter that
    had no precomposed form with its accent into one that has (``W`` and a ring above)."""
    marks = np.flatnonzero(_marks()[_table_index(text)])
    if marks.size == 0:
        return text
    posts = _decode(text).split("\x00")
    owners = np.unique(np.searchsorted(np.flatnonzero(text == _SEPARATOR), marks))
    changed = False
    for i in owners.tolist():
        if not unicodedata.is_normalized("NFKC", posts[i]):
            posts[i] = unicodedata.normalize("NFKC", posts[i])
            changed = True
    if not changed:
        return text
    return _code_points("\x00".join(posts))


def _decode(text: U32) -> str:
    """Code points back to a string."""
    return text.astype("<u4", copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def comparison_text(text: str) -> str:
    """``text`` as duplicate detection compares it (see the module's docstring)."""
    return _decode(_normalise_block([text])[0])


# --- content hash -----------------------------------------------------------------------------


def _exact_hashes(texts: Sequence[str], text: U32, lengths: I64) -> U64:
    """BLAKE2b-128 of each comparison text in UTF-8, or of the raw text where that is empty."""
    digests: list[bytes] = []
    append = digests.append
    copy = hashlib.blake2b(digest_size=16, person=_PERSON).copy  # cheaper than a new hasher
    for part in _decode(text).encode("utf-8", "surrogatepass").split(b"\x00"):
        h = copy()
        h.update(part)
        append(h.digest())
    for i in np.flatnonzero(lengths == 0).tolist():
        h = copy()
        h.update(_RAW + texts[i].encode("utf-8", "surrogatepass"))
        digests[i] = h.digest()
    return np.frombuffer(b"".join(digests), dtype="<u8").astype(np.uint64).reshape(-1, 2)


# --- MinHash ----------------------------------------------------------------------------------


def _fmix32(h: U32) -> U32:
    """The murmur3 32-bit finaliser, in place: spreads every input bit over all output bits."""
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


@dataclass(frozen=True)
class MinHasher:
    """Content hashes and MinHash signatures of ``num_perm`` slots over ``shingle``-character
    windows, seeded by ``seed``. Equal parameters give equal sketches anywhere."""

    num_perm: int = 64
    shingle: int = 5
    seed: int = 0

    def __post_init__(self) -> None:
        if not 2 <= self.num_perm <= 1024:
            raise ValueError("num_perm must be between 2 and 1024")
        if not 1 <= self.shingle <= 32:
            raise ValueError("shingle must be between 1 and 32")

    @cached_property
    def _hash_keys(self) -> tuple[np.uint32, np.uint32]:
        """The polynomial's base (odd) and the key mixed into every shingle hash."""
        base, key = seeded_words(self.seed, "minhash.shingle", 2, bits=32)
        return np.uint32(base | 1), np.uint32(key)

    @cached_property
    def _orders(self) -> I64:
        """For each bin, the order in which densification visits the other bins."""
        words = seeded_words(self.seed, "minhash.densify", self.num_perm**2)
        keys = np.array(words, dtype=np.uint64).reshape(self.num_perm, self.num_perm)
        # A bin never copies itself: it comes last in its own order (it is empty anyway).
        np.fill_diagonal(keys, np.uint64(2**64 - 1))
        return np.argsort(keys, axis=1, kind="stable").astype(np.int64)

    def sketch(self, texts: Sequence[str]) -> Sketch:
        """Content hashes and signatures of ``texts``."""
        # Filled block by block, so that memory holds the result once, not parts and whole.
        out = Sketch(
            np.empty((len(texts), 2), np.uint64), np.empty((len(texts), self.num_perm), np.uint16)
        )
        for start in range(0, len(texts), _BLOCK):
            block = self._sketch_block(texts[start : start + _BLOCK])
            out.exact[start : start + len(block)] = block.exact
            out.signatures[start : start + len(block)] = block.signatures
        return out

    def _sketch_block(self, texts: Sequence[str]) -> Sketch:
        text, lengths = _normalise_block(texts)
        return Sketch(_exact_hashes(texts, text, lengths), self._signatures(text, lengths))

    def _shingle_hashes(self, text: U32, lengths: I64) -> tuple[U32, I64]:
        """The 32-bit hash of every shingle of every post, and for each the offset of its
        post's bins (post index times ``num_perm``)."""
        k = self.shingle
        base, key = self._hash_keys
        windows = max(text.size - k + 1, 0)
        h = text[:windows].copy()
        for j in range(1, k):
            h *= base
            h += text[j : j + windows]
        # The windows that reach over a separator belong to no post.
        separators = np.cumsum(lengths + 1)[:-1] - 1
        crossing = (separators[:, None] - np.arange(k)).ravel()
        valid = np.ones(windows, np.bool_)
        valid[crossing[(crossing >= 0) & (crossing < windows)]] = False
        hashes = h[valid]
        posts = np.arange(lengths.size, dtype=np.int64) * self.num_perm
        offsets = np.repeat(posts, np.maximum(lengths - k + 1, 0))
        short = np.flatnonzero((lengths > 0) & (lengths < k))
        if short.size:
            hashes = np.concatenate((hashes, self._short_hashes(text, lengths, short)))
            offsets = np.concatenate((offsets, posts[short]))
        hashes ^= key
        return _fmix32(hashes), offsets

    def _short_hashes(self, text: U32, lengths: I64, short: I64) -> U32:
        """The one shingle of each post shorter than ``shingle``: the post padded with 0."""
        k = self.shingle
        base, _ = self._hash_keys
        offsets = np.cumsum(lengths + 1) - (lengths + 1)
        padded = np.concatenate((text, np.zeros(k, np.uint32)))
        columns = np.arange(k)
        chars = padded[offsets[short, None] + columns]
        chars[columns >= lengths[short, None]] = 0
        h = chars[:, 0].copy()
        for j in range(1, k):
            h *= base
            h += chars[:, j]
        hashes: U32 = h
        return hashes

    def _signatures(self, text: U32, lengths: I64) -> U16:
        """One-permutation MinHash with optimal densification, 16-bit minima."""
        k, posts = self.num_perm, lengths.size
        hashes, offsets = self._shingle_hashes(text, lengths)
        # The top 16 bits choose the bin (for any k, by multiply-shift), the low 16 compete.
        bins = ((hashes >> np.uint32(16)) * np.uint32(k)) >> np.uint32(16)
        # Post-major while minima are taken (a post's shingles land in one cache line or
        # two), bin-major while bins are densified (a step then copies whole rows).
        minima = np.full(posts * k, _EMPTY, dtype=np.uint32)
        np.minimum.at(minima, offsets + bins, hashes & np.uint32(0xFFFF))
        by_bin = np.ascontiguousarray(minima.reshape(posts, k).T)
        self._densify(by_bin)
        signatures = np.ascontiguousarray(by_bin.astype(np.uint16).T)
        signatures[lengths == 0] = 0
        return signatures

    def _densify(self, minima: U32) -> None:
        """Fill each empty bin (row) of a post (column) that has shingles from the first
        non-empty bin along that bin's fixed order: this keeps short posts' estimates
        unbiased. Bins are rows so that a step copies whole rows."""
        full = minima != _EMPTY
        todo = ~full & full.any(axis=0)
        orders = self._orders
        for step in range(min(_DENSE_STEPS, self.num_perm - 1)):
            source = orders[:, step]
            fill = todo & full[source]
            np.copyto(minima, minima[source], where=fill)
            todo ^= fill
        bins, posts = np.nonzero(todo)
        if bins.size:
            sources = orders[bins]
            first = np.argmax(full[sources, posts[:, None]], axis=1)
            minima[bins, posts] = minima[sources[np.arange(bins.size), first], posts]
