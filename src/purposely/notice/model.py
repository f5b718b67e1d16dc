"""The privacy notice as structured data, built from the policy, the taxonomy and the data map.

Language-neutral: it holds keys, numbers and policy values, and for every label, description
and country name both languages. Layout and rendering only choose words; the notice version
is a hash of this structure and of the sentence catalogue.
"""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any, Literal

import pycountry
from pydantic import BaseModel, ConfigDict

from purposely.notice.datamap import subject_fields
from purposely.policy import LegalBasis, Policy, PurposeRule
from purposely.policy.model import DEFAULT_JURISDICTION, Biometric, Controller, Preparation
from purposely.taxonomy import TRAIN_AI, Lang, covers, term

# Posts are the texts a dataset build prepares (mentions, links, redaction, duplicates).
_CONTENT = "user.content"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Words(_Frozen):
    """A taxonomy key with its label and description in both languages."""

    key: str
    label_en: str
    label_de: str
    description_en: str
    description_de: str

    def label(self, lang: Lang) -> str:
        """The label in ``lang``."""
        return self.label_de if lang == "de" else self.label_en

    def description(self, lang: Lang) -> str:
        """The description in ``lang``."""
        return self.description_de if lang == "de" else self.description_en


class Country(_Frozen):
    """An ISO 3166-1 country with its name in both languages."""

    code: str
    name_en: str
    name_de: str

    def name(self, lang: Lang) -> str:
        """The country's name in ``lang``."""
        return self.name_de if lang == "de" else self.name_en


class BasisLine(_Frozen):
    """Where a legal basis applies: a group, a country, everyone else, or an unknown country."""

    scope: Literal["everywhere", "group", "country", "default", "unknown"]
    group: str | None = None
    country: Country | None = None
    basis: LegalBasis


class Group(_Frozen):
    """A named group of countries that legal bases refer to."""

    name: str
    countries: tuple[Country, ...]


class RecipientNotice(_Frozen):
    """Who receives data for a purpose, where, and in which form."""

    name: str
    name_de: str | None
    country: Country | None
    receives: Literal["records", "dp_aggregates", "candidate_matches"]

    def name_in(self, lang: str) -> str:
        """The recipient's name in ``lang`` (German if the policy gives one)."""
        return self.name_de if lang == "de" and self.name_de else self.name


class PurposeNotice(_Frozen):
    """Everything the notice says about one purpose."""

    purpose: Words
    categories: tuple[Words, ...]
    bases: tuple[BasisLine, ...]
    exclude_minors: bool
    # AI training never uses private posts or messages (a hard rule, not a policy setting).
    excludes_private: bool
    preparation: Preparation | None
    release: Literal["records", "dp_aggregates"]
    retention: str | None
    recipients: tuple[RecipientNotice, ...]
    biometric: Biometric | None

    @property
    def key(self) -> str:
        """The purpose's taxonomy key."""
        return self.purpose.key

    def uses(self, *bases: LegalBasis) -> bool:
        """True if the purpose rests on one of ``bases`` somewhere."""
        return any(line.basis in bases for line in self.bases)

    @property
    def needs_explicit_consent(self) -> bool:
        """True if a grant must name the categories (explicit consent somewhere)."""
        return self.uses(LegalBasis.EXPLICIT_CONSENT)


class Notice(_Frozen):
    """The whole privacy notice, before words are chosen."""

    controller: Controller
    minimum_age: int
    unknown_age_is_minor: bool
    groups: tuple[Group, ...]
    purposes: tuple[PurposeNotice, ...]
    kept_for_rules: tuple[Words, ...]

    @property
    def biometric_purpose(self) -> PurposeNotice | None:
        """The purpose that stores biometric templates, if the policy has one."""
        return next((p for p in self.purposes if p.biometric is not None), None)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the input of the notice version)."""
        return self.model_dump(mode="json")


def build_notice(policy: Policy) -> Notice:
    """The structured notice for ``policy``."""
    purposes = tuple(_purpose(policy, key, rule) for key, rule in policy.purposes.items())
    named = {line.group for p in purposes for line in p.bases if line.group is not None}
    groups = tuple(
        Group(name=name, countries=tuple(country(c) for c in countries))
        for name, countries in policy.jurisdictions.items()
        if name in named
    )
    kept = dict.fromkeys(c for f in subject_fields() for c in f.categories)
    return Notice(
        controller=policy.controller,
        minimum_age=policy.minimum_age,
        unknown_age_is_minor=policy.unknown_age_is_minor,
        groups=groups,
        purposes=purposes,
        kept_for_rules=tuple(words(key) for key in kept),
    )


def words(key: str) -> Words:
    """The taxonomy's words for ``key``."""
    found = term(key)
    return Words(
        key=key,
        label_en=found.label_en,
        label_de=found.label_de,
        description_en=found.description_en,
        description_de=found.description_de,
    )


@cache
def country(code: str) -> Country:
    """Country ``code`` with its English and German name (pycountry's ISO 3166 names)."""
    found = pycountry.countries.get(alpha_2=code)
    name = str(getattr(found, "common_name", None) or found.name) if found else code
    return Country(code=code, name_en=name, name_de=_german().gettext(name))


@cache
def _german() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"], fallback=True)


def _purpose(policy: Policy, key: str, rule: PurposeRule) -> PurposeNotice:
    uses_posts = any(covers(c, _CONTENT) or covers(_CONTENT, c) for c in rule.categories)
    return PurposeNotice(
        purpose=words(key),
        categories=tuple(words(c) for c in rule.categories),
        bases=_bases(policy, key, rule),
        exclude_minors=rule.exclude_minors,
        excludes_private=key == TRAIN_AI,
        preparation=rule.preparation if uses_posts and rule.release == "records" else None,
        release=rule.release,
        retention=rule.retention,
        recipients=tuple(
            RecipientNotice(
                name=r.name,
                name_de=r.name_de,
                country=country(r.country) if r.country else None,
                receives=r.receives,
            )
            for r in rule.recipients
        ),
        biometric=rule.biometric,
    )


def _bases(policy: Policy, key: str, rule: PurposeRule) -> tuple[BasisLine, ...]:
    """The basis per group, per country, for everyone else, and for an unknown country.

    Mirrors :meth:`Policy.bases`, which the gate uses: a purpose without a ``default`` entry
    has no basis elsewhere, and an unknown country gets the strictest basis listed.
    """
    table = policy.bases(key)
    if len({*rule.legal_basis.values(), table.default}) == 1:
        return (BasisLine(scope="everywhere", basis=table.default),)
    lines = [
        BasisLine(scope="group", group=where, basis=basis)
        for where, basis in rule.legal_basis.items()
        if where in policy.jurisdictions
    ]
    lines += [
        BasisLine(scope="country", country=country(where), basis=basis)
        for where, basis in rule.legal_basis.items()
        if where != DEFAULT_JURISDICTION and where not in policy.jurisdictions
    ]
    lines.append(BasisLine(scope="default", basis=table.default))
    lines.append(BasisLine(scope="unknown", basis=table.unknown_country))
    return tuple(lines)
