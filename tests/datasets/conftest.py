"""Fixtures for dataset tests: a small platform in a store, built through the JSONL importer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from purposely.ingest.jsonl import ingest_jsonl
from purposely.policy import Policy
from purposely.store import Store
from tests.factories import consent, message, post, subject, write_jsonl

TRAIN = "train_ai_system"
WORDS = [
    "apple",
    "harbour",
    "violin",
    "quartz",
    "meadow",
    "lantern",
    "copper",
    "falcon",
    "glacier",
    "orchard",
    "pepper",
    "saddle",
    "thunder",
    "velvet",
    "walnut",
    "yacht",
    "zebra",
    "anchor",
    "blossom",
    "canyon",
    "dolphin",
    "ember",
    "feather",
    "garnet",
    "hammock",
    "iris",
    "jasmine",
    "kettle",
    "lemon",
    "marble",
    "nectar",
    "oyster",
    "pebble",
    "quiver",
    "raven",
    "saffron",
    "tulip",
    "umbrella",
    "vortex",
    "willow",
    "xylophone",
    "yarrow",
    "zenith",
    "bramble",
    "cobalt",
    "drizzle",
    "elm",
    "fjord",
    "gravel",
    "hazel",
    "indigo",
    "juniper",
    "kiwi",
    "lilac",
    "mango",
    "nutmeg",
    "olive",
    "pumpkin",
    "quince",
    "rhubarb",
    "sorrel",
    "tamarind",
    "ukulele",
    "vanilla",
    "wasabi",
    "yam",
    "zucchini",
    "acorn",
    "basil",
    "cedar",
    "daisy",
    "fennel",
    "ginger",
]


def distinct_text(seed: int, words: int = 12) -> str:
    """A text that shares few words with the text of any other seed."""
    return " ".join(
        WORDS[(seed * 37 + i * 11 + seed * seed * i) % len(WORDS)] for i in range(words)
    )


def platform_lines(members: int = 6, posts_each: int = 5) -> list[dict[str, Any]]:
    """Adults in Germany who consented, each with distinct public posts, plus a few extras:
    a private post, a message, a minor, a member without consent, personal data in posts,
    and duplicates."""
    lines: list[dict[str, Any]] = []
    for m in range(members):
        sid = f"m{m}"
        lines += [subject(sid, handle=f"handle{m}"), consent(sid, TRAIN)]
        lines += [
            post(
                f"{sid}-p{k}",
                sid,
                text=distinct_text(m * posts_each + k),
            )
            for k in range(posts_each)
        ]
    lines += [
        post("private-1", "m0", text="only for my followers", visibility="private"),
        message("dm-1", "m0", ["m1"], text="a direct message"),
        subject("kid", birth_date="2015-01-01"),
        consent("kid", TRAIN),
        post("kid-1", "kid", text="I am twelve"),
        subject("silent"),
        post("silent-1", "silent", text="I never consented to anything"),
        post(
            "pii-1",
            "m1",
            text="Schreib mir an anna.schmidt@example.org oder ruf 0171 1234567 an, @handle2 https://example.org/x",
        ),
        post("dup-1", "m2", text="Exactly the same words here"),
        post("dup-2", "m3", text="Exactly the same words here"),
        post("near-1", "m2", text="Great concert last night at the old harbour, what a show!"),
        post(
            "near-2",
            "m4",
            text="Great concert last night at the old harbour, what a show!!! http://x.example/1",
        ),
    ]
    return lines


@pytest.fixture
def platform(store: Store, policy: Policy) -> Store:
    """``store`` holding :func:`platform_lines`."""
    ingest_jsonl(store, policy, write_jsonl(Path("platform.jsonl"), platform_lines()))
    return store
