"""The policy as typed data: purposes, the categories each may use, legal bases, exclusions."""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from purposely.errors import UnknownPurposeError
from purposely.taxonomy import covers


class LegalBasis(StrEnum):
    """Why a purpose may use a member's data, from least to most strict."""

    LEGITIMATE_INTEREST = "legitimate_interest"
    CONSENT = "consent"
    EXPLICIT_CONSENT = "explicit_consent"
    NEVER = "never"

    @property
    def strictness(self) -> int:
        """Higher is stricter; used to pick the basis for a member of unknown country."""
        return _STRICTNESS[self]

    @property
    def needs_opt_in(self) -> bool:
        """True if the member must have granted consent before any use."""
        return self in (LegalBasis.CONSENT, LegalBasis.EXPLICIT_CONSENT)


_STRICTNESS = {
    LegalBasis.LEGITIMATE_INTEREST: 0,
    LegalBasis.CONSENT: 1,
    LegalBasis.EXPLICIT_CONSENT: 2,
    LegalBasis.NEVER: 3,
}

DEFAULT_JURISDICTION = "default"


Entity = Literal["EMAIL", "PHONE", "IBAN", "CARD", "IP", "ADDRESS", "ID", "PERSON"]
# What patterns with validation find; PERSON needs a name recogniser, which none ships yet.
STRUCTURED_ENTITIES: tuple[Entity, ...] = ("EMAIL", "PHONE", "IBAN", "CARD", "IP", "ADDRESS", "ID")


class Preparation(BaseModel):
    """How texts are prepared before a dataset for the purpose is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Replacements for @handles and links (TweetEval's convention); null keeps them.
    mentions: str | None = "@user"
    links: str | None = "http"
    # Personal data replaced by typed placeholders such as <EMAIL>.
    redact: list[Entity] = Field(default_factory=lambda: list(STRUCTURED_ENTITIES))
    # Jaccard similarity above which two posts count as near duplicates; null: exact only.
    near_duplicates: float | None = Field(default=0.7, gt=0, le=1)


# An ISO 8601 duration in years, months, weeks and days, e.g. P2Y or P6M.
_ISO_DURATION = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")


def _duration(value: str) -> str:
    if not _ISO_DURATION.match(value):
        raise ValueError(f"not an ISO 8601 duration: {value!r} (e.g. P2Y, P6M, P30D)")
    return value


Duration = Annotated[str, AfterValidator(_duration)]


class Recipient(BaseModel):
    """Who receives data for a purpose, where, and in which form."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    # The name in German, for the German notice (the English name otherwise).
    name_de: str | None = None
    country: str | None = None
    # records: the data itself; dp_aggregates: differentially private statistics only;
    # candidate_matches: a member's match to a job, shown under a pseudonym.
    receives: Literal["records", "dp_aggregates", "candidate_matches"]


class Biometric(BaseModel):
    """Exactly what a biometric purpose stores, and how it is made (named in the notice)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A 128-number face descriptor (dlib's ResNet model), not a picture.
    template: Literal["face_descriptor_128"] = "face_descriptor_128"
    # Computed from the photo taken for the verification.
    source: Literal["verification_photo"] = "verification_photo"
    photo_kept: bool = False
    encrypted: bool = True


class Controller(BaseModel):
    """Who is responsible for the processing, and how to reach them (GDPR Art. 13)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    address: str = Field(min_length=1)
    contact: str = Field(min_length=3)
    data_protection_officer: str | None = None


class PurposeRule(BaseModel):
    """What one purpose may use, and on which basis in which jurisdiction."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: list[str] = Field(min_length=1)
    legal_basis: dict[str, LegalBasis]
    exclude_minors: bool = False
    release: Literal["records", "dp_aggregates"] = "records"
    preparation: Preparation = Field(default_factory=Preparation)
    # How long data used for the purpose is kept (ISO 8601); None: as long as the member keeps
    # it on the platform and has not withdrawn or objected.
    retention: Duration | None = None
    recipients: list[Recipient] = Field(default_factory=list)
    biometric: Biometric | None = None

    def uses(self, category: str) -> bool:
        """True if one of this purpose's category rules covers ``category``."""
        return any(covers(rule, category) for rule in self.categories)


class Policy(BaseModel):
    """The whole policy file. Load it with :func:`purposely.policy.load_policy`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    controller: Controller = Field(
        default_factory=lambda: Controller(
            name="the platform operator", address="not given", contact="not given"
        )
    )
    minimum_age: int = Field(default=18, ge=1, le=30)
    unknown_age_is_minor: bool = True
    jurisdictions: dict[str, list[str]] = Field(default_factory=dict)
    purposes: dict[str, PurposeRule]

    @property
    def digest(self) -> str:
        """sha256 of the policy's content (comments and layout do not count)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def rule(self, purpose: str) -> PurposeRule:
        """The rule for ``purpose``; an unknown purpose is refused with the known ones listed."""
        try:
            return self.purposes[purpose]
        except KeyError:
            known = ", ".join(sorted(self.purposes))
            raise UnknownPurposeError(
                f"unknown purpose {purpose!r}: the policy declares {known}"
            ) from None

    def bases(self, purpose: str) -> BasisTable:
        """The legal basis of ``purpose`` for every country, resolved to a lookup table."""
        rule = self.rule(purpose)
        by_country: dict[str, LegalBasis] = {}
        # Groups first, then single countries, so a country entry overrides its group.
        for key, basis in rule.legal_basis.items():
            for country in self.jurisdictions.get(key, []):
                by_country[country] = basis
        for key, basis in rule.legal_basis.items():
            if key != DEFAULT_JURISDICTION and key not in self.jurisdictions:
                by_country[key] = basis
        default = rule.legal_basis.get(DEFAULT_JURISDICTION, LegalBasis.NEVER)
        strictest = max(rule.legal_basis.values(), key=lambda b: b.strictness)
        return BasisTable(by_country=by_country, default=default, unknown_country=strictest)


class BasisTable(BaseModel):
    """A purpose's legal basis per country: explicit countries, everyone else, unknown country."""

    model_config = ConfigDict(frozen=True)

    by_country: dict[str, LegalBasis]
    default: LegalBasis
    unknown_country: LegalBasis

    def for_country(self, country: str | None) -> LegalBasis:
        """The basis for a member in ``country`` (ISO alpha-2), or of unknown country."""
        if country is None:
            return self.unknown_country
        return self.by_country.get(country, self.default)
