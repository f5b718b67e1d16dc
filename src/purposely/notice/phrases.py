"""Phrases the notice, the records of processing and the fides export share, in either language."""

from __future__ import annotations

import re

from purposely.notice.model import BasisLine, Country, Notice, PurposeNotice, RecipientNotice
from purposely.notice.text import Text, code, concat, join, say
from purposely.policy import LegalBasis
from purposely.policy.model import Preparation
from purposely.taxonomy import Lang

_DURATION_PART = re.compile(r"(\d+)([YMWD])")

# The placeholder each entity type becomes in a prepared text (see redact/).
_PLACEHOLDER = "<{}>"

SUBJECT = "SUBJECT"


def duration(lang: Lang, iso: str) -> Text:
    """An ISO 8601 duration such as ``P1Y6M`` in words: ``1 year and 6 months``."""
    parts = [
        say(lang, f"duration.{unit}.{'one' if int(n) == 1 else 'other'}", n=int(n))
        for n, unit in _DURATION_PART.findall(iso)
    ]
    return join(lang, parts)


def retention(lang: Lang, purpose: PurposeNotice, *, to_member: bool = True) -> Text:
    """How long data used for ``purpose`` is kept; addressed to the member ("you") in the
    notice, about "the member" in records for the authorities and Fides."""
    suffix = "" if to_member else ".neutral"
    if purpose.retention is None:
        return say(lang, "retention.none" + suffix)
    span = duration(lang, purpose.retention)
    if purpose.biometric is not None:
        return say(lang, "retention.biometric" + suffix, duration=span)
    return say(lang, "retention.duration", duration=span)


def country_name(lang: Lang, country: Country) -> Text:
    """``Germany (DE)``."""
    return say(lang, "country", name=country.name(lang), code=country.code)


def where(lang: Lang, line: BasisLine, *, to_member: bool = True) -> Text:
    """Whom a legal basis applies to."""
    if line.scope == "group":
        return say(lang, "where.group", group=code(line.group or ""))
    if line.scope == "country" and line.country is not None:
        return say(lang, "where.country", country=country_name(lang, line.country))
    if line.scope == "everywhere" and not to_member:
        return say(lang, "where.everywhere.neutral")
    return say(lang, f"where.{line.scope}")


def basis_name(lang: Lang, basis: LegalBasis) -> Text:
    """``consent (Art. 6(1)(a) GDPR)``."""
    return say(lang, f"basis.{basis.value}")


def basis_line(lang: Lang, line: BasisLine) -> Text:
    """Where, which basis, and what it means for the member."""
    return say(
        lang,
        "basis.line",
        where=where(lang, line),
        name=basis_name(lang, line.basis),
        explain=say(lang, f"explain.{line.basis.value}"),
    )


def basis_summary(lang: Lang, purpose: PurposeNotice) -> Text:
    """Every basis of ``purpose`` on one line, for the records of processing."""
    lines = [
        say(
            lang,
            "basis.short",
            where=where(lang, line, to_member=False),
            name=basis_name(lang, line.basis),
        )
        for line in purpose.bases
    ]
    return concat(lines, "; ")


def recipient(lang: Lang, who: RecipientNotice, *, to_member: bool = True) -> Text:
    """A recipient, where it is, and what it receives."""
    receives = say(lang, f"receives.{who.receives}" + ("" if to_member else ".neutral"))
    if who.country is None:
        return say(lang, "recipient", name=who.name_in(lang), receives=receives)
    return say(
        lang,
        "recipient.in",
        name=who.name_in(lang),
        country=country_name(lang, who.country),
        receives=receives,
    )


def entities(lang: Lang, preparation: Preparation) -> Text:
    """The kinds of personal data replaced in texts, each with its placeholder."""
    return join(
        lang,
        [
            say(
                lang,
                "entity",
                name=say(lang, f"entity.{kind}"),
                placeholder=code(_PLACEHOLDER.format(kind)),
            )
            for kind in preparation.redact
        ],
    )


def preparation_steps(lang: Lang, preparation: Preparation) -> list[Text]:
    """What happens to a text before a dataset for the purpose holds it."""
    steps = [
        say(lang, "prep.mentions", mention=code(preparation.mentions))
        if preparation.mentions is not None
        else say(lang, "prep.mentions_kept"),
        say(lang, "prep.links", link=code(preparation.links))
        if preparation.links is not None
        else say(lang, "prep.links_kept"),
        say(lang, "prep.redact", entities=entities(lang, preparation))
        if preparation.redact
        else say(lang, "prep.redact_none"),
    ]
    if preparation.near_duplicates is None:
        steps.append(say(lang, "prep.exact_duplicates"))
    else:
        percent = round(preparation.near_duplicates * 100)
        steps.append(say(lang, "prep.near_duplicates", percent=percent))
    return steps


def command(action: str, purpose: PurposeNotice) -> Text:
    """The exact ``purposely consent`` command that records ``action`` for ``purpose``."""
    words = f"purposely consent {action} {SUBJECT} {purpose.key}"
    if action == "grant" and purpose.needs_explicit_consent:
        words += " --categories " + ",".join(c.key for c in purpose.categories)
    return Text((code(words),))


def subjects(lang: Lang, notice: Notice, purpose: PurposeNotice) -> Text:
    """Whose data the purpose uses."""
    if purpose.exclude_minors:
        return say(lang, "ropa.subjects_adults", age=notice.minimum_age)
    return say(lang, "ropa.subjects")


def safeguards(lang: Lang, notice: Notice, purpose: PurposeNotice) -> list[Text]:
    """The technical and organisational measures for ``purpose`` (GDPR Art. 30(1)(g))."""
    found = common_safeguards(lang)
    if purpose.exclude_minors:
        kind = "safe.minors_unknown" if notice.unknown_age_is_minor else "safe.minors"
        found.append(say(lang, kind, age=notice.minimum_age))
    if purpose.excludes_private:
        found.append(say(lang, "safe.private"))
    if purpose.needs_explicit_consent:
        found.append(say(lang, "safe.explicit"))
    if purpose.preparation is not None:
        found.append(say(lang, "safe.preparation", steps=_steps(lang, purpose.preparation)))
    if purpose.release == "dp_aggregates":
        found.append(say(lang, "safe.dp"))
    if any(r.receives == "candidate_matches" for r in purpose.recipients):
        found.append(say(lang, "safe.pseudonymous_matches"))
    if purpose.biometric is not None:
        if purpose.biometric.encrypted:
            found.append(say(lang, "safe.encrypted"))
        if not purpose.biometric.photo_kept:
            found.append(say(lang, "safe.photo_deleted"))
    return found


def common_safeguards(lang: Lang) -> list[Text]:
    """The measures that protect every purpose: the gate, its audit log, pseudonyms."""
    return [say(lang, "safe.gate"), say(lang, "safe.pseudonyms")]


def _steps(lang: Lang, preparation: Preparation) -> Text:
    steps: list[Text] = []
    if preparation.mentions is not None:
        steps.append(say(lang, "safe.mentions", mention=preparation.mentions))
    if preparation.links is not None:
        steps.append(say(lang, "safe.links", link=preparation.links))
    if preparation.redact:
        steps.append(say(lang, "safe.redact", entities=entities(lang, preparation)))
    steps.append(say(lang, "safe.dedup"))
    return concat(steps, ", ")
