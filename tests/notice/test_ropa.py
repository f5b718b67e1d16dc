"""Records of processing (GDPR Art. 30) as CSV: one row per purpose and data category."""

from __future__ import annotations

import csv
import io

import pytest

from purposely.notice import build_notice, notice_version, ropa_csv
from purposely.notice.ropa import COLUMNS
from purposely.policy import Policy
from purposely.taxonomy import Lang, label
from tests.notice.policies import edited


def rows(policy: Policy, lang: Lang = "en") -> list[dict[str, str]]:
    """The records of processing for ``policy``, parsed back with ``csv``."""
    return list(csv.DictReader(io.StringIO(ropa_csv(build_notice(policy), lang), newline="")))


@pytest.mark.parametrize("lang", ["en", "de"])
def test_one_row_per_purpose_and_category(policy: Policy, lang: Lang) -> None:
    found = rows(policy, lang)
    pairs = [(r["purpose"], r["data_category"]) for r in found]
    assert pairs == [(p, c) for p, rule in policy.purposes.items() for c in rule.categories]
    assert list(found[0]) == list(COLUMNS)
    for row in found:
        assert row["notice_version"] == notice_version(policy)
        assert row["controller"] == policy.controller.name
        assert row["purpose_label"] == label(row["purpose"], lang)
        assert row["data_category_label"] == label(row["data_category"], lang)
        for column in ("data_subjects", "legal_basis", "retention", "safeguards"):
            assert row[column], (column, row)


def test_rows_say_basis_recipients_retention_and_safeguards(policy: Policy) -> None:
    by_purpose = {r["purpose"]: r for r in rows(policy)}
    training = by_purpose["train_ai_system"]
    assert training["legal_basis"].startswith("Countries of group EEA_UK_CH: consent")
    assert "All other countries: legitimate interest" in training["legal_basis"]
    assert training["retention"] == "At most 2 years."
    assert training["data_subjects"] == "Members of the platform aged 18 or over"
    assert "keyed pseudonym" in training["safeguards"]
    assert "private posts and direct messages never used" in training["safeguards"]
    assert "<EMAIL>" in training["safeguards"]
    sharing = by_purpose["third_party_sharing"]
    assert "differentially private" in sharing["safeguards"]
    assert sharing["recipients"].startswith("Research and market analysis partners")
    identity = by_purpose["essential.service.security.identity_verification"]
    assert "encrypted" in identity["safeguards"] and "photo deleted" in identity["safeguards"]
    assert identity["retention"] == "At most 1 year after the member's last verification."
    jobs = by_purpose["personalize.job_recommendations"]
    assert jobs["legal_basis"] == "All countries: consent (Art. 6(1)(a) GDPR)"
    assert "you" not in jobs["retention"].lower().split()


def test_german_rows_have_german_words_and_the_same_keys(policy: Policy) -> None:
    en, de = rows(policy, "en"), rows(policy, "de")
    keys = ("purpose", "data_category", "notice_version", "recipient_countries")
    assert [[r[k] for k in keys] for r in en] == [[r[k] for k in keys] for r in de]
    assert de[0]["retention"] == "Höchstens 2 Jahre."
    assert "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)" in de[0]["legal_basis"]


def test_recipient_countries_and_commas_survive_the_csv() -> None:
    policy = edited(
        "      - name: Research and market analysis partners\n",
        '      - name: "Institut, \\"Statistik\\" e.V."\n        country: FR\n',
    )
    sharing = [r for r in rows(policy) if r["purpose"] == "third_party_sharing"]
    assert sharing and all(r["recipient_countries"] == "FR" for r in sharing)
    assert sharing[0]["recipients"].startswith('Institut, "Statistik" e.V., France (FR)')
