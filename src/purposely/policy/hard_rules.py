"""Rules no policy may lift. The policy check rejects a file that tries; the gate enforces
them again on every question, so a rule holds even if a broken policy got past the check."""

from __future__ import annotations

from purposely.taxonomy import (
    BIOMETRIC,
    IDENTITY_VERIFICATION,
    MESSAGE,
    PRIVATE_CONTENT,
    TRAIN_AI,
    covers,
)


def _overlaps(rule: str, key: str) -> bool:
    """True if ``rule`` covers ``key`` or lies under it."""
    return covers(rule, key) or covers(key, rule)


def policy_violation(purpose: str, category_rule: str) -> str | None:
    """Why mapping ``category_rule`` to ``purpose`` breaks a hard rule, or None if it does not."""
    if purpose != IDENTITY_VERIFICATION and _overlaps(category_rule, BIOMETRIC):
        return (
            f"{category_rule} covers biometric data, which may be used only for "
            f"{IDENTITY_VERIFICATION}; this rule cannot be lifted by a policy"
        )
    if covers(MESSAGE, category_rule):
        return "direct messages are used by no purpose; this rule cannot be lifted by a policy"
    if purpose == TRAIN_AI and _overlaps(category_rule, PRIVATE_CONTENT):
        return (
            f"{category_rule} covers private content, which AI training never uses; "
            "this rule cannot be lifted by a policy"
        )
    return None


def purpose_violation(purpose: str, exclude_minors: bool) -> str | None:
    """Why a purpose's settings break a hard rule, or None."""
    if purpose == TRAIN_AI and not exclude_minors:
        return "AI training must exclude minors; this rule cannot be lifted by a policy"
    return None


def biometric_violation(
    purpose: str, biometric: dict[str, object] | None, retention: object
) -> str | None:
    """Why a purpose's biometric settings break a hard rule, or None."""
    if purpose != IDENTITY_VERIFICATION:
        if biometric is not None:
            return f"only {IDENTITY_VERIFICATION} may store biometric templates"
        return None
    if biometric is None:
        return "identity verification must say what it stores: add a `biometric:` section"
    if biometric.get("encrypted") is False:
        return "biometric templates are always stored encrypted; this rule cannot be lifted"
    if retention is None:
        return "identity verification needs a published retention period: add `retention:`"
    return None


def record_withheld_reason(purpose: str, category: str) -> str | None:
    """The gate's hard-coded refusal for a record of ``category``, whatever the policy says."""
    if covers(MESSAGE, category):
        return "private"
    if purpose == TRAIN_AI and covers(PRIVATE_CONTENT, category):
        return "private"
    if purpose != IDENTITY_VERIFICATION and covers(BIOMETRIC, category):
        return "category_not_allowed"
    return None
