"""The notice version: a short hash of what the notice says, shared by German and English.

It covers the structured notice (keys, numbers, policy values, the taxonomy's words and
country names in both languages) and the sentence catalogue, so any change to what either
language says gives a new version, and a change that says nothing new (a comment or the
layout of the policy file) does not.
"""

from __future__ import annotations

import hashlib
import json

from purposely.notice.model import Notice, build_notice
from purposely.notice.words import WORDS
from purposely.policy import Policy

# 12 hex digits (48 bits): short enough to read out, far from colliding among a platform's
# notices.
VERSION_LENGTH = 12


def version_of(notice: Notice) -> str:
    """The version of ``notice``."""
    canonical = json.dumps(
        {"notice": notice.as_dict(), "words": WORDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:VERSION_LENGTH]


def notice_version(policy: Policy) -> str:
    """The version of the notice generated from ``policy``."""
    return version_of(build_notice(policy))
