"""Datasets built from what the gate allows: deduplication, shards, manifest, card, lineage."""
