"""The dataset card (README.md), written from the manifest alone so the two cannot disagree."""

from __future__ import annotations

from typing import Any

from purposely.taxonomy import label

_SIZES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
)

_REASONS = {
    "private": "private posts and direct messages (never used for training)",
    "category_not_allowed": "data of a kind the policy does not give this purpose",
    "minor": "members under 18, or of unknown age",
    "no_legal_basis": "members in a country where the purpose has no legal basis",
    "objected": "members who objected",
    "withdrawn": "members who withdrew their consent",
    "no_consent": "members whose country requires consent and who never gave it",
    "no_text": "records without text",
    "empty": "posts with no text left after preparation",
    "duplicate_exact": "exact duplicates of an earlier sample",
    "duplicate_near": "near duplicates of an earlier sample",
    "deleted": "posts deleted since the parent snapshot was built",
}


def size_category(rows: int) -> str:
    """The Hugging Face ``size_categories`` value for ``rows`` samples."""
    return next((name for bound, name in _SIZES if rows < bound), "n>10M")


def dataset_card(manifest: dict[str, Any]) -> str:
    """The README.md of a snapshot: Hugging Face YAML header, then plain-language sections."""
    counts = manifest["counts"]
    languages = sorted(counts.get("languages", {})) or ["mul"]
    header = "\n".join(
        [
            "---",
            "license: other",
            "language:",
            *[f"- {lang}" for lang in languages],
            f"pretty_name: purposely snapshot {manifest['snapshot_id']}",
            "size_categories:",
            f"- {size_category(counts['included'])}",
            "configs:",
            "- config_name: default",
            "  data_files:",
            "  - split: train",
            "    path: data/*.parquet",
            "---",
        ]
    )
    return "\n\n".join([header, *_sections(manifest)]) + "\n"


def _sections(manifest: dict[str, Any]) -> list[str]:
    counts = manifest["counts"]
    purpose = manifest["purpose"]
    prep = manifest.get("preparation", {})
    return [
        f"# purposely snapshot {manifest['snapshot_id']}",
        f"{counts['included']:,} samples of members' public posts, built for **{purpose}** "
        f"({label(purpose)}) by purposely {manifest['tool']['version']} on "
        f"{manifest['created_at'][:10]}. Every sample passed the gate: the policy "
        f"(digest `{manifest['policy_digest'][:12]}`) and each member's consent as of consent "
        f"ledger position {manifest['watermark']}."
        + (f" Rebuilt from snapshot {manifest['parent']}." if manifest.get("parent") else ""),
        "## Fields\n\n"
        "| field | meaning |\n| --- | --- |\n"
        "| `sample_id` | an opaque id; it names no member and no source record |\n"
        "| `text` | the post, prepared as described below |\n"
        "| `lang` | its language code as the source gave it, if any |\n"
        "| `created_at` | when it was posted (UTC) |",
        "## Sources and legal bases\n\n"
        "Members' posts on the platform that were public when the snapshot was built. Lineage "
        "from each sample to its record, its member and the consent or legal basis it relied "
        "on is kept in the purposely store, never in these files.\n\n"
        + _table(("legal basis", "samples"), counts.get("by_basis", {})),
        "## Excluded\n\n" + _reason_table(counts.get("excluded", {})),
        "## Preparation\n\n"
        + _preparation(prep)
        + "\n\n"
        + _table(("personal data replaced", "occurrences"), counts.get("redactions", {})),
        "## Known limits\n\n"
        "- Names of private persons are not replaced: no named-entity model ships with "
        "purposely yet.\n"
        "- Personal data is found by patterns with validation (checksums, phone number "
        "rules); unusual formats can be missed.\n"
        "- A member's later withdrawal or objection, or a post deleted or made private, "
        "makes this snapshot stale (`purposely dataset show`); `purposely dataset rebuild` "
        "writes a copy without those samples. Copies made elsewhere are not reached.",
    ]


def _preparation(prep: dict[str, Any]) -> str:
    lines = []
    if prep.get("mentions"):
        lines.append(f"- @mentions of handles are replaced by `{prep['mentions']}`.")
    if prep.get("links"):
        lines.append(f"- links are replaced by `{prep['links']}`.")
    entities = ", ".join(f"`<{e}>`" for e in prep.get("redact", []))
    if entities:
        lines.append(f"- personal data in the text is replaced by typed placeholders: {entities}.")
    threshold = prep.get("near_duplicates")
    lines.append(
        "- exact duplicates are removed"
        + (f", and near duplicates (MinHash, Jaccard >= {threshold})" if threshold else "")
        + "; the earliest post of each group is kept."
    )
    return "\n".join(lines)


def _reason_table(excluded: dict[str, int]) -> str:
    rows = {f"{reason}: {_REASONS.get(reason, reason)}": n for reason, n in excluded.items()}
    return _table(("reason", "records"), rows) if rows else "Nothing was excluded."


def _table(head: tuple[str, str], rows: dict[str, int]) -> str:
    if not rows:
        return f"No {head[0]} to report."
    body = "\n".join(f"| {key} | {n:,} |" for key, n in sorted(rows.items()))
    return f"| {head[0]} | {head[1]} |\n| --- | ---: |\n{body}"
