"""The privacy notice: complete, the same in both languages, and following every policy change."""

from __future__ import annotations

import re

import pytest

from purposely.notice import build_notice, html_page, layout, markdown, notice_version
from purposely.notice.document import Bullets, Document, Facts, Para
from purposely.policy import Policy
from purposely.taxonomy import Lang, label
from tests.notice.policies import edited

LANGS: tuple[Lang, ...] = ("en", "de")
# AI training refused outright for members in the US: a country entry beside a group.
US_NEVER = (
    "      default: legitimate_interest",
    "      US: never\n      default: legitimate_interest",
)


def md(policy: Policy, lang: Lang = "en") -> str:
    """The notice for ``policy`` as Markdown."""
    return markdown(layout(build_notice(policy), lang))


@pytest.mark.parametrize("lang", LANGS)
def test_every_purpose_and_category_appears_by_label(policy: Policy, lang: Lang) -> None:
    text = md(policy, lang)
    for purpose, rule in policy.purposes.items():
        assert f"### {label(purpose, lang)} (`{purpose}`)" in text
        for category in rule.categories:
            assert f"**{label(category, lang)}**" in text, (purpose, category)


@pytest.mark.parametrize("lang", LANGS)
def test_no_placeholder_is_left_unfilled(policy: Policy, lang: Lang) -> None:
    text = md(policy, lang)
    assert "{" not in text and "}" not in text


def _shape(doc: Document) -> list[tuple[int, list[tuple[str, int]]]]:
    """Sections and their blocks, by kind and size: what must not differ between languages."""

    def size(block: Para | Bullets | Facts) -> int:
        if isinstance(block, Para):
            return 1
        if isinstance(block, Bullets):
            return len(block.items)
        return sum(1 + len(f.values) for f in block.facts)

    return [(s.level, [(type(b).__name__, size(b)) for b in s.blocks]) for s in doc.sections]


def _numbers_and_keys(text: str) -> tuple[list[str], list[str]]:
    codes = re.findall(r"`([^`]+)`", text)
    numbers = re.findall(r"\d+", re.sub(r"`[^`]+`", "", text))
    return numbers, codes


def test_german_and_english_say_the_same_things(policy: Policy) -> None:
    notice = build_notice(policy)
    en, de = layout(notice, "en"), layout(notice, "de")
    assert en.version == de.version
    assert _shape(en) == _shape(de)
    assert [t.ids for t in en.texts()] == [t.ids for t in de.texts()]
    assert _numbers_and_keys(markdown(en)) == _numbers_and_keys(markdown(de))


def test_german_and_english_agree_for_other_policies_too() -> None:
    for policy in (
        edited("photo_kept: false", "photo_kept: true"),
        edited("unknown_age_is_minor: true", "unknown_age_is_minor: false"),
        edited(*US_NEVER),
    ):
        notice = build_notice(policy)
        en, de = layout(notice, "en"), layout(notice, "de")
        assert _shape(en) == _shape(de)
        assert [t.ids for t in en.texts()] == [t.ids for t in de.texts()]
        assert _numbers_and_keys(markdown(en)) == _numbers_and_keys(markdown(de))


CHANGES = {
    "retention": ("    retention: P2Y\n", "    retention: P18M\n"),
    "legal basis": ("      EEA_UK_CH: consent\n", "      EEA_UK_CH: explicit_consent\n"),
    "category": (
        "    categories: [user.content.public]",
        "    categories: [user.content.public, user.demographic.language]",
    ),
    "recipient": (
        "      - name: Research and market analysis partners\n"
        "        name_de: Partner für Forschung und Marktanalyse\n",
        "      - name: Statistics Institute\n        country: FR\n",
    ),
    "minimum age": ("minimum_age: 18", "minimum_age: 16"),
    "controller": ("name: Example Social Network GmbH", "name: Beispiel Netzwerk AG"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_policy_change_changes_the_notice_and_its_version(policy: Policy, change: str) -> None:
    changed = edited(*CHANGES[change])
    for lang in LANGS:
        assert md(changed, lang) != md(policy, lang), (change, lang)
    assert notice_version(changed) != notice_version(policy)


def test_each_change_shows_where_expected(policy: Policy) -> None:
    assert "At most 18 months." in md(edited(*CHANGES["retention"]))
    assert "Höchstens 18 Monate." in md(edited(*CHANGES["retention"]), "de")
    basis = md(edited(*CHANGES["legal basis"]))
    assert "Countries of group `EEA_UK_CH`: explicit consent" in basis
    assert "**Languages**" in md(edited(*CHANGES["category"]))
    recipient = md(edited(*CHANGES["recipient"]), "de")
    assert "Statistics Institute, Frankreich (FR): nur differenziell private" in recipient
    assert "Members under 16 count as minors." in md(edited(*CHANGES["minimum age"]))


def test_a_comment_or_layout_change_keeps_the_version(policy: Policy) -> None:
    commented = edited("version: 1\n", "version: 1   # edited only in a comment\n\n")
    assert notice_version(commented) == notice_version(policy)
    assert md(commented) == md(policy)


def test_the_version_is_shared_by_both_languages_and_shown(policy: Policy) -> None:
    version = notice_version(policy)
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    for lang in LANGS:
        doc = layout(build_notice(policy), lang)
        assert doc.version == version and f"`{version}`" in markdown(doc)


def test_legal_basis_per_jurisdiction_and_for_an_unknown_country(policy: Policy) -> None:
    text = md(policy)
    training = text.split("### Training AI models")[1].split("###")[0]
    assert "Countries of group `EEA_UK_CH`: consent (Art. 6(1)(a) GDPR)" in training
    assert "All other countries: legitimate interest (Art. 6(1)(f) GDPR)" in training
    assert "Country not known (the strictest basis above applies): consent" in training
    assert "Germany (DE)" in text and "Switzerland (CH)" in text
    assert "Deutschland (DE)" in md(policy, "de")
    jobs = text.split("### Job recommendations")[1].split("###")[0]
    assert "Wherever you live: consent" in jobs and "Country not known" not in jobs


def test_a_single_country_gets_its_own_line() -> None:
    text = md(edited(*US_NEVER))
    assert "United States (US): none. Your data is not used for this purpose." in text


def test_saying_no_is_one_command_or_one_click_like_saying_yes(policy: Policy) -> None:
    training = md(policy).split("### Training AI models")[1].split("###")[0]
    for action in ("grant", "withdraw", "object"):
        assert f"`purposely consent {action} SUBJECT train_ai_system`" in training
    assert training.count("one click in the privacy center") == 3
    assert "just as easy" in training
    identity = md(policy).split("### Identity verification")[1].split("###")[0]
    assert "--categories user.biometric.face`" in identity
    assert "consent object" not in identity


def test_the_hard_rules_are_stated(policy: Policy) -> None:
    text = md(policy)
    assert "Direct messages are used for nothing but delivering them." in text
    assert "It is never sold and never used for anything else." in text
    assert "never trained on private posts, direct messages or data of minors." in text
    assert "Kein Zweck darf sie nutzen" in md(policy, "de")


def test_the_biometric_section_says_exactly_what_is_stored(policy: Policy) -> None:
    en = md(policy).split("## Biometric data")[1].split("\n## ")[0]
    for words in (
        "`face_descriptor_128`",
        "128 numbers",
        "Not a photo",
        "`verification_photo`",
        "The photo is deleted as soon as the numbers have been computed.",
        "Stored encrypted.",
        "At most 1 year after your last verification.",
        "Never sold",
        "never used for anything else",
        "Shared with no one",
    ):
        assert words in en, words
    de = md(policy, "de").split("## Biometrische Daten")[1].split("\n## ")[0]
    for words in ("128 Zahlen", "Kein Foto", "Verschlüsselt gespeichert", "1 Jahr", "nie verkauft"):
        assert words in de, words


def test_a_kept_photo_is_said(policy: Policy) -> None:
    text = md(edited("photo_kept: false", "photo_kept: true"))
    assert "The photo is kept as well" in text and "The photo is deleted" not in text


def test_unknown_age_counting_as_adult_is_said() -> None:
    text = md(edited("unknown_age_is_minor: true", "unknown_age_is_minor: false"))
    assert "we do not treat you as a minor" in text


def test_differential_privacy_and_recipients(policy: Policy) -> None:
    sharing = md(policy).split("### Sharing with third parties")[1].split("###")[0]
    assert "differential privacy" in sharing and "Records about you never leave" in sharing
    assert "Research and market analysis partners: differentially private statistics" in sharing
    training = md(policy).split("### Training AI models")[1].split("###")[0]
    assert "No one outside Example Social Network GmbH." in training


def test_html_is_a_self_contained_page(policy: Policy) -> None:
    page = html_page(layout(build_notice(policy), "de"))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="de">' in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "<h2>Ihre Rechte</h2>" in page and "<code>train_ai_system</code>" in page
    assert f'<meta name="notice-version" content="{notice_version(policy)}">' in page


def test_values_from_the_policy_are_escaped() -> None:
    evil = edited(
        "name: Example Social Network GmbH",
        'name: "<script>alert(1)</script> *Evil* & [Co](x)"',
    )
    page = html_page(layout(build_notice(evil), "en"))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *Evil* &amp; [Co](x)" in page
    text = md(evil)
    assert "<script>" not in text
    assert r"\<script\>alert(1)\</script\> \*Evil\* & \[Co\](x)" in text
