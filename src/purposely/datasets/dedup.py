"""Exact and near-duplicate detection for dataset builds, deterministic and vectorised.

A build passes its posts in sample order (by record id, say) and gets, for each post, the
post it duplicates or ``None``: in each group of duplicates the first post in that order is
kept and the others name it. The same input gives the same answer on every run, machine and
executor.

Two steps, so that the expensive one can run in parallel (:mod:`.minhash` has the details):

1. ``Deduplicator.sketch(texts)``: per post a content hash of its comparison text (case,
   whitespace, punctuation, emoji, links and mentions ignored) and a MinHash signature of its
   5-character shingles. Pure and stateless: workers may sketch chunks, and
   ``Sketch.concat`` of the chunks' sketches in order equals the sketch of the whole.
2. ``Deduplicator.cluster(signatures, exact_hashes)`` on the driver: posts with equal content
   hashes are *exact* duplicates. Of each exact group only its first post takes part in the
   near-duplicate search: LSH banding (``bands`` bands of ``num_perm // bands`` slots) makes
   candidate pairs of posts that agree on a whole band, found by sorting each band's keys
   (no dictionaries); a candidate pair is confirmed when the fraction of equal signature
   slots, an estimate of the Jaccard similarity of the shingle sets, is at least
   ``threshold``. Confirmed pairs are joined into clusters (union-find, vectorised), whose
   first post is kept.

A post is reported as an ``exact`` duplicate when its comparison text equals the kept
post's, else as ``near``. Clusters are transitive: if A is like B and B like C, all three
are one cluster even when A and C are further apart than the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from purposely.datasets.minhash import MinHasher, Sketch, seeded_words

__all__ = ["Deduplicator", "Duplicates", "Kind", "MinHasher", "Sketch"]

Kind = Literal["exact", "near"]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]
U16 = NDArray[np.uint16]

KEPT, EXACT, NEAR = 0, 1, 2
_KIND_NAMES: tuple[None, Kind, Kind] = (None, "exact", "near")
# Candidate pairs are confirmed in batches, bounding the memory of the gathered signatures.
_CONFIRM_BATCH = 65_536


@dataclass(frozen=True)
class Duplicates:
    """The answer for ``n`` posts: ``of[i]`` is the index of the kept post that post ``i``
    duplicates, or -1 when ``i`` is kept; ``kinds[i]`` is ``KEPT``, ``EXACT`` or ``NEAR``."""

    of: I64
    kinds: NDArray[np.uint8]

    def __len__(self) -> int:
        return int(self.of.size)

    @property
    def kept(self) -> I64:
        """Indices of the kept posts, ascending."""
        return np.flatnonzero(self.of < 0)

    def duplicate_of(self) -> list[int | None]:
        """For each post, the index of the kept post it duplicates, or ``None``."""
        return [None if k < 0 else k for k in self.of.tolist()]

    def kind(self, index: int) -> Kind | None:
        """``"exact"`` or ``"near"`` for a duplicate, ``None`` for a kept post."""
        return _KIND_NAMES[int(self.kinds[index])]

    def kind_of(self) -> list[Kind | None]:
        """``kind`` of every post, in order."""
        return [_KIND_NAMES[k] for k in self.kinds.tolist()]

    def counts(self) -> dict[str, int]:
        """How many posts are kept, exact duplicates and near duplicates."""
        kept, exact, near = np.bincount(self.kinds, minlength=3)[:3].tolist()
        return {"kept": kept, "exact": exact, "near": near}


class Deduplicator:
    """Finds exact and near duplicates among short texts.

    ``threshold``: the estimated Jaccard similarity of two posts' shingle sets from which on
    they are near duplicates. ``num_perm``: signature slots (more is more precise and costs
    2 bytes per slot and post). ``bands``: LSH bands of ``num_perm // bands`` slots; more
    bands make pairs of lower similarity candidates (higher recall, more work).
    ``shingle``: characters per shingle. ``seed``: fixes every hash function; sketches are
    only comparable under equal ``num_perm``, ``shingle`` and ``seed``.

    The defaults were tuned on synthetic German and English posts with known copies
    (``bench/dedup.py``): 5-character shingles and 0.7 found 99.3% of near copies (a changed
    word or typo in a post of a few words is still found) with 99.9% precision; 0.8 missed
    one word edit in five. 64 slots estimate a similarity of 0.7 within about 0.06; 12 bands
    of 5 slots make a pair of similarity 0.7 a candidate with probability 0.89 and one of
    0.8 with 0.99, while unrelated posts sharing common words rarely collide (bands of 4
    slots made 25 times more candidates for the same recall).
    """

    def __init__(
        self,
        threshold: float = 0.7,
        num_perm: int = 64,
        bands: int = 12,
        shingle: int = 5,
        seed: int = 0,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if not 1 <= bands <= num_perm:
            raise ValueError("bands must be between 1 and num_perm")
        self.threshold = threshold
        self.bands = bands
        self.rows = num_perm // bands
        self.hasher = MinHasher(num_perm=num_perm, shingle=shingle, seed=seed)
        # Slots that must agree: an integer, so the decision has no floating-point ties.
        self._min_agree = int(np.ceil(threshold * num_perm - 1e-9))
        self._band_keys = np.array(
            seeded_words(seed, "dedup.band", self.rows), dtype=np.uint64
        ) | np.uint64(1)

    @property
    def num_perm(self) -> int:
        """Signature slots per post."""
        return self.hasher.num_perm

    def sketch(self, texts: Sequence[str]) -> Sketch:
        """Content hashes and signatures of ``texts`` (parallelisable by chunks)."""
        return self.hasher.sketch(texts)

    def deduplicate(self, texts: Sequence[str]) -> Duplicates:
        """Sketch and cluster ``texts`` in one call."""
        sketch = self.sketch(texts)
        return self.cluster(sketch.signatures, sketch.exact)

    def find_duplicates(self, texts: Sequence[str]) -> list[int | None]:
        """For each text, the index of the kept text it duplicates, or ``None`` if kept."""
        return self.deduplicate(texts).duplicate_of()

    def cluster(self, signatures: U16, exact_hashes: U64) -> Duplicates:
        """Duplicates among posts given their sketch rows, in sample order."""
        n = self._check(signatures, exact_hashes)
        first = _exact_groups(exact_hashes)
        # Only the first post of each exact group, and only posts with shingles, are compared.
        candidates = np.flatnonzero((first == np.arange(n)) & _has_shingles(signatures))
        pairs = self._candidate_pairs(signatures, candidates)
        pairs = pairs[self._confirmed(signatures, candidates, pairs)]
        roots = np.arange(n, dtype=np.int64)
        roots[candidates] = candidates[_components(pairs, candidates.size)]
        kept = roots[first]
        of = np.where(kept == np.arange(n), -1, kept)
        kinds = np.where(of < 0, KEPT, np.where(kept == first, EXACT, NEAR)).astype(np.uint8)
        return Duplicates(of, kinds)

    def _check(self, signatures: U16, exact_hashes: U64) -> int:
        """The number of posts, after checking that the arrays belong together."""
        if signatures.dtype != np.uint16 or signatures.ndim != 2:
            raise ValueError("signatures must be a 2-dimensional uint16 array")
        if signatures.shape[1] != self.num_perm:
            raise ValueError(
                f"signatures have {signatures.shape[1]} slots, this deduplicator "
                f"{self.num_perm}: sketch and cluster with the same parameters"
            )
        n = int(signatures.shape[0])
        if exact_hashes.dtype != np.uint64 or exact_hashes.shape != (n, 2):
            raise ValueError(f"exact_hashes must be a uint64 array of shape ({n}, 2)")
        return n

    def _candidate_pairs(self, signatures: U16, candidates: I64) -> I64:
        """Pairs (as ``a * m + b``, ``a < b`` local indices) that share a band, unique."""
        m = candidates.size
        if m < 2:
            return np.zeros(0, np.int64)
        index_bits = int(m - 1).bit_length()
        codes = np.concatenate(
            [
                _band_pairs(self._band_key(signatures, candidates, band), index_bits, m)
                for band in range(self.bands)
            ]
        )
        codes.sort()
        return codes[np.concatenate(([True], codes[1:] != codes[:-1]))] if codes.size else codes

    def _band_key(self, signatures: U16, candidates: I64, band: int) -> U64:
        """One 64-bit key per candidate for the slots of ``band`` (a hash: equal slots give
        equal keys, different slots almost never do, and a collision only adds a candidate
        that confirmation then rejects)."""
        slots = signatures[candidates, band * self.rows : (band + 1) * self.rows]
        return _mix_rows(slots, self._band_keys)

    def _confirmed(self, signatures: U16, candidates: I64, pairs: I64) -> NDArray[np.bool_]:
        """Which candidate pairs agree on at least ``threshold`` of their slots."""
        m = max(candidates.size, 1)
        ok = np.zeros(pairs.size, np.bool_)
        for start in range(0, pairs.size, _CONFIRM_BATCH):
            batch = pairs[start : start + _CONFIRM_BATCH]
            left = signatures[candidates[batch // m]]
            right = signatures[candidates[batch % m]]
            agree = np.count_nonzero(left == right, axis=1)
            ok[start : start + batch.size] = agree >= self._min_agree
        return ok


def _mix_rows(slots: U16, keys: U64) -> U64:
    """A 64-bit hash of each row of ``slots`` (murmur3 finaliser over a keyed sum)."""
    h = np.zeros(slots.shape[0], np.uint64)
    for j in range(slots.shape[1]):
        h += slots[:, j].astype(np.uint64) * keys[j]
        h ^= h >> np.uint64(29)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    return h


def _has_shingles(signatures: U16) -> NDArray[np.bool_]:
    """Rows that are not all zeros (the signature of a post without shingles)."""
    if signatures.shape[1] % 4 == 0 and signatures.flags.c_contiguous:
        words: NDArray[np.uint64] = signatures.view(np.uint64)  # four slots per test
        return np.asarray(words.any(axis=1), dtype=np.bool_)
    return np.asarray(signatures.any(axis=1), dtype=np.bool_)


def _exact_groups(exact_hashes: U64) -> I64:
    """For each post, the first post (in input order) with the same content hash."""
    n = exact_hashes.shape[0]
    # Sorting by the first half is enough unless two different hashes share it (never seen
    # by chance at 2^-64 a pair, but checked, since hashes of crafted texts might).
    order = np.argsort(exact_hashes[:, 0], kind="stable")  # stable: ties in input order
    ordered = exact_hashes[order]
    same_first = ordered[1:, 0] == ordered[:-1, 0]
    if np.any(same_first & (ordered[1:, 1] != ordered[:-1, 1])):
        order = np.lexsort((exact_hashes[:, 1], exact_hashes[:, 0]))
        ordered = exact_hashes[order]
    starts = np.ones(n, np.bool_)
    starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group_first = order[np.maximum.accumulate(np.where(starts, np.arange(n), 0))]
    first = np.empty(n, np.int64)
    first[order] = group_first
    return first


def _band_pairs(key: U64, index_bits: int, m: int) -> I64:
    """Pairs of posts with equal band keys: each with its group's first post and with its
    predecessor in the group, coded as ``a * m + b``."""
    # Key in the high bits, index in the low bits: one sort groups equal keys, in index order.
    shift = np.uint64(index_bits)
    packed = ((key >> shift) << shift) | np.arange(m, dtype=np.uint64)
    packed.sort()
    index = (packed & np.uint64((1 << index_bits) - 1)).astype(np.int64)
    same = (packed[1:] >> shift) == (packed[:-1] >> shift)
    starts = np.concatenate(([True], ~same))
    group_first = index[np.maximum.accumulate(np.where(starts, np.arange(m), 0))]
    member = np.flatnonzero(~starts)
    to_first = group_first[member] * m + index[member]
    chained = member[~starts[member - 1]]
    to_prev = index[chained - 1] * m + index[chained]
    return np.concatenate((to_first, to_prev))


def _components(pairs: I64, m: int) -> I64:
    """For each of ``m`` nodes, the smallest node connected to it by ``pairs``."""
    roots = np.arange(m, dtype=np.int64)
    if pairs.size == 0:
        return roots
    nodes, local = np.unique(np.concatenate((pairs // m, pairs % m)), return_inverse=True)
    a, b = local[: pairs.size], local[pairs.size :]
    parent = np.arange(nodes.size, dtype=np.int64)
    while True:
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            break
        # Hook the larger root under the smaller (parents only ever decrease), then jump
        # pointers until every node points at its root.
        np.minimum.at(parent, np.maximum(ra, rb)[differ], np.minimum(ra, rb)[differ])
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    roots[nodes] = nodes[parent]
    return roots
