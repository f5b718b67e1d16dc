"""Variants of the shipped policy, each one edit away from it, validated like a user's file."""

from __future__ import annotations

from purposely.policy import Policy, default_policy_text, parse_policy


def edited(old: str, new: str) -> Policy:
    """The shipped policy with ``old`` replaced by ``new`` (exactly once)."""
    text = default_policy_text()
    assert text.count(old) == 1, f"{old!r} is not in the shipped policy exactly once"
    policy, problems = parse_policy(text.replace(old, new), "edited.yaml")
    assert policy is not None, problems
    return policy
