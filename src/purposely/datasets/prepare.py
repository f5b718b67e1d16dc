"""Text preparation: the per-batch work of a build, run by an executor's workers.

For each post, in this order:

1. links become ``http`` and ``@handles`` become ``@user`` (TweetEval's convention; the
   replacements come from the policy, ``null`` keeps them), so links and handles cannot be
   mistaken for personal data and near-duplicates differing only in them are found;
2. personal data (e-mail, phone, IBAN, card, IP, address, German IDs) becomes typed
   placeholders (``<EMAIL>``...), counted per type;
3. the post is sketched for duplicate detection (content hash and MinHash signature).

Everything here is a pure function of the batch and the settings, so any worker, local or on
Ray, gives the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyarrow as pa

from purposely.datasets.minhash import MinHasher
from purposely.policy import Preparation
from purposely.redact import Entity, Redactor, default_recognizers

_LINK = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
# A handle: @ not glued to a word, dot or @ before it (that would be an e-mail address).
_MENTION = re.compile(r"(?<![\w.@])@\w{1,30}(?:@[\w.-]+\.\w+)?")
NUM_PERM = 64
SHINGLE = 5


@dataclass(frozen=True)
class Settings:
    """How to prepare texts: picklable, so it travels to every worker."""

    mentions: str | None
    links: str | None
    entities: tuple[str, ...]

    @classmethod
    def from_policy(cls, preparation: Preparation) -> Settings:
        """The settings a purpose's ``preparation`` section asks for."""
        return cls(preparation.mentions, preparation.links, tuple(preparation.redact))


# What a prepared batch holds besides the input's lineage columns.
PREPARED_FIELDS = [
    pa.field("text", pa.string()),
    pa.field("exact", pa.binary(16)),
    pa.field("signature", pa.binary(2 * NUM_PERM)),
]


def redaction_field(entity: str) -> str:
    """The column counting the replacements of ``entity`` in each post."""
    return f"redacted_{entity}"


@cache
def _redactor(entities: tuple[str, ...]) -> Redactor:
    wanted = {Entity(e) for e in entities}
    return Redactor([r for r in default_recognizers() if r.entities & wanted])


@cache
def _hasher() -> MinHasher:
    return MinHasher(num_perm=NUM_PERM, shingle=SHINGLE)


def prepare_text(text: str, lang: str | None, settings: Settings) -> tuple[str, dict[str, int]]:
    """One post prepared (steps 1 and 2 above), with its replacements counted per entity."""
    if settings.links is not None and ("://" in text or "www." in text):
        text = _LINK.sub(settings.links, text)
    if settings.mentions is not None and "@" in text:
        text = _MENTION.sub(settings.mentions, text)
    if not settings.entities:
        return text, {}
    redaction = _redactor(settings.entities).redact(text, lang)
    return redaction.text, {str(e): n for e, n in redaction.counts.items()}


def prepare_batch(batch: pa.RecordBatch, settings: Settings) -> pa.RecordBatch:
    """Prepare every post of ``batch`` (the gate's record batch); keep its lineage columns."""
    texts = batch.column("text").to_pylist()
    langs = batch.column("lang").to_pylist()
    prepared: list[str] = []
    counts = {entity: [0] * len(texts) for entity in settings.entities}
    for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
        done, found = prepare_text(text or "", lang, settings)
        prepared.append(done)
        for entity, n in found.items():
            counts[entity][i] = n
    sketch = _hasher().sketch(prepared)
    columns = {
        name: batch.column(name)
        for name in ("pk", "subject_pk", "lang", "created_at", "basis", "consent_seq")
    }
    columns["text"] = pa.array(prepared, pa.string())
    columns["exact"] = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(16), len(prepared), [None, pa.py_buffer(sketch.exact.tobytes())]
    )
    columns["signature"] = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(2 * NUM_PERM), len(prepared), [None, pa.py_buffer(sketch.signatures.tobytes())]
    )
    for entity, values in counts.items():
        columns[redaction_field(entity)] = pa.array(values, pa.int32())
    return pa.RecordBatch.from_pydict(columns)
