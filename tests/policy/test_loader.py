"""The policy file: the shipped default loads; every problem is reported with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from purposely.errors import PolicyError, UnknownPurposeError
from purposely.policy import LegalBasis, default_policy_text, load_policy, parse_policy

BASE = """\
version: 1
jurisdictions:
  EEA: [DE, FR]
purposes:
  train_ai_system:
    categories: [user.content.public]
    legal_basis:
      EEA: consent
      default: legitimate_interest
    exclude_minors: true
"""


def problems_of(text: str) -> list[str]:
    """The problems parse_policy finds in ``text`` (as file p.yaml)."""
    policy, problems = parse_policy(text, "p.yaml")
    assert (policy is None) == bool(problems)
    return problems


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_shipped_policy_loads_with_the_purposes_of_the_design() -> None:
    policy = load_policy()
    assert set(policy.purposes) == {
        "train_ai_system",
        "personalize.job_recommendations",
        "employment.recruitment",
        "essential.service.security.identity_verification",
        "third_party_sharing",
    }
    train = policy.bases("train_ai_system")
    assert train.for_country("DE") is LegalBasis.CONSENT
    assert train.for_country("CH") is LegalBasis.CONSENT
    assert train.for_country("US") is LegalBasis.LEGITIMATE_INTEREST
    # unknown country: the strictest basis the purpose has anywhere
    assert train.for_country(None) is LegalBasis.CONSENT
    assert policy.rule("essential.service.security.identity_verification").categories == [
        "user.biometric.face"
    ]


def test_a_valid_variant_parses_and_its_digest_follows_content_not_comments() -> None:
    policy, problems = parse_policy(BASE, "p.yaml")
    assert problems == [] and policy is not None
    commented, _ = parse_policy("# a comment\n" + BASE, "p.yaml")
    assert commented is not None and commented.digest == policy.digest
    changed, _ = parse_policy(BASE.replace("EEA: consent", "EEA: explicit_consent"), "p.yaml")
    assert changed is not None and changed.digest != policy.digest


def test_country_entry_overrides_its_group() -> None:
    text = BASE.replace(
        "      default: legitimate_interest", "      FR: never\n      default: legitimate_interest"
    )
    policy, problems = parse_policy(text, "p.yaml")
    assert problems == [] and policy is not None
    bases = policy.bases("train_ai_system")
    assert bases.for_country("FR") is LegalBasis.NEVER
    assert bases.for_country("DE") is LegalBasis.CONSENT
    assert bases.for_country(None) is LegalBasis.NEVER


@pytest.mark.parametrize(
    ("old", "new", "needle", "expected"),
    [
        ("train_ai_system:", "train_robots:", "train_robots:", "unknown purpose 'train_robots'"),
        (
            "[user.content.public]",
            "[user.content.publik]",
            "categories:",
            "unknown data category 'user.content.publik'",
        ),
        ("EEA: consent", "EEA: opt_in", "EEA: opt_in", "unknown legal basis 'opt_in'"),
        ("[DE, FR]", "[DE, XX]", "[DE, XX]", "unknown country code 'XX'"),
        ("EEA: consent", "EUROPE: consent", "EUROPE: consent", "unknown jurisdiction 'EUROPE'"),
        (
            "exclude_minors: true",
            "exclude_minors: true\n    keep_for: P1Y",
            "keep_for:",
            "unknown setting 'keep_for'",
        ),
        (
            "[user.content.public]",
            "[user.content.private]",
            "categories:",
            "private content, which AI training never uses",
        ),
        (
            "exclude_minors: true",
            "exclude_minors: false",
            "exclude_minors:",
            "AI training must exclude minors",
        ),
    ],
)
def test_each_kind_of_mistake_is_reported_at_its_line(
    old: str, new: str, needle: str, expected: str
) -> None:
    text = BASE.replace(old, new)
    assert text != BASE
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"p.yaml:{line_of(text, needle)}:"), problems[0]
    assert expected in problems[0]


@pytest.mark.parametrize("category", ["user.biometric.face", "user.biometric", "user"])
def test_biometric_data_is_refused_for_any_purpose_but_identity_verification(
    category: str,
) -> None:
    text = BASE.replace("[user.content.public]", f"[user.content.public, {category}]")
    problems = problems_of(text)
    assert any("biometric" in p and "cannot be lifted" in p for p in problems), problems
    assert all(p.startswith(f"p.yaml:{line_of(text, 'categories:')}:") for p in problems)


IDENTITY = """\
  essential.service.security.identity_verification:
    categories: [user.biometric.face]
    legal_basis: {default: explicit_consent}
    retention: P1Y
    biometric: {template: face_descriptor_128, source: verification_photo, encrypted: true}
"""


def test_biometric_data_is_fine_for_identity_verification() -> None:
    assert problems_of(BASE + IDENTITY) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("encrypted: true", "encrypted: false", "always stored encrypted"),
        ("    retention: P1Y\n", "", "needs a published retention period"),
        ("retention: P1Y", "retention: one year", "not an ISO 8601 duration"),
        (
            "    biometric: {template: face_descriptor_128, source: verification_photo, "
            "encrypted: true}\n",
            "",
            "must say what it stores",
        ),
        ("template: face_descriptor_128", "template: raw_photo", "face_descriptor_128"),
    ],
)
def test_identity_verification_must_say_what_it_stores_and_for_how_long(
    old: str, new: str, expected: str
) -> None:
    text = BASE + IDENTITY.replace(old, new)
    assert text != BASE + IDENTITY
    (problem,) = problems_of(text)
    assert expected in problem


def test_no_other_purpose_may_store_templates_and_recipients_name_real_countries() -> None:
    text = BASE.replace(
        "    exclude_minors: true\n",
        "    exclude_minors: true\n    biometric: {}\n"
        "    recipients: [{name: Partner, country: ZZ, receives: dp_aggregates}]\n",
    )
    problems = problems_of(text)
    assert len(problems) == 2
    assert "only essential.service.security.identity_verification may store" in problems[0]
    assert "unknown country code 'ZZ'" in problems[1]


def test_messages_are_refused_for_every_purpose() -> None:
    text = BASE.replace(
        "[user.content.public]", "[user.content.public, user.content.private.message]"
    )
    (problem,) = problems_of(text)
    assert "direct messages are used by no purpose" in problem


def test_all_problems_are_reported_at_once_in_line_order() -> None:
    text = (
        BASE.replace("[DE, FR]", "[DE, QQ]")
        .replace("EEA: consent", "EEA: maybe")
        .replace("[user.content.public]", "[user.content.nope]")
    )
    problems = problems_of(text)
    assert len(problems) == 3, problems
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines)
    assert "QQ" in problems[0]
    assert "user.content.nope" in problems[1]
    assert "unknown legal basis 'maybe'" in problems[2]


def test_broken_yaml_names_the_line() -> None:
    (problem,) = problems_of("version: 1\npurposes:\n  train_ai_system: [unclosed\n")
    assert problem.startswith("p.yaml:") and "not valid YAML" in problem


def test_missing_default_basis_is_reported() -> None:
    text = BASE.replace("      default: legitimate_interest\n", "")
    (problem,) = problems_of(text)
    assert "default" in problem and problem.startswith(f"p.yaml:{line_of(text, 'legal_basis:')}:")


def test_load_policy_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(BASE.replace("[DE, FR]", "[DE, QQ, ZZ]"))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert len(caught.value.problems) == 2
    assert str(caught.value).startswith(f"{path}:3:")


def test_unknown_purpose_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownPurposeError, match="train_ai_system"):
        load_policy().rule("sell_everything")


def test_shipped_text_is_the_one_loaded() -> None:
    policy, problems = parse_policy(default_policy_text(), "default")
    assert problems == [] and policy == load_policy()
