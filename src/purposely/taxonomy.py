"""Data categories and data uses (purposes), with labels and descriptions in German and English.

Keys follow Fides' open taxonomy (fideslang 3.x) so that a data map can be exchanged with
Fides. Where fideslang has no key this domain needs, we add one and mark it
``extends_fideslang=True``; we never rename a fideslang key. A test checks every unmarked key
against fideslang's own default taxonomy.

Keys are dotted paths; a parent key covers its children (``user.content`` covers
``user.content.public``), as in fideslang.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

Lang = Literal["de", "en"]


class Kind(StrEnum):
    """Whether a key names a kind of data or a use of data."""

    CATEGORY = "category"
    PURPOSE = "purpose"


@dataclass(frozen=True)
class Term:
    """One taxonomy key with its words in both languages."""

    key: str
    kind: Kind
    label_en: str
    label_de: str
    description_en: str
    description_de: str
    extends_fideslang: bool = False

    def label(self, lang: Lang) -> str:
        """The short human name in ``lang``."""
        return self.label_de if lang == "de" else self.label_en

    def description(self, lang: Lang) -> str:
        """The one-sentence explanation in ``lang``."""
        return self.description_de if lang == "de" else self.description_en


def _c(key: str, en: str, de: str, den: str, dde: str, *, ext: bool = False) -> Term:
    return Term(key, Kind.CATEGORY, en, de, den, dde, ext)


def _p(key: str, en: str, de: str, den: str, dde: str, *, ext: bool = False) -> Term:
    return Term(key, Kind.PURPOSE, en, de, den, dde, ext)


_TERMS: tuple[Term, ...] = (
    # --- data categories -----------------------------------------------------------------
    _c(
        "user",
        "Personal data",
        "Personenbezogene Daten",
        "Data about a member, given by them or derived from their use of the platform.",
        "Daten über ein Mitglied, von ihm angegeben oder aus seiner Nutzung der Plattform "
        "abgeleitet.",
    ),
    _c(
        "user.account",
        "Account data",
        "Kontodaten",
        "Data given when the account was created.",
        "Daten, die bei der Anlage des Kontos angegeben wurden.",
    ),
    _c(
        "user.account.username",
        "Username",
        "Benutzername",
        "The name the member is known by on the platform (@handle).",
        "Der Name, unter dem das Mitglied auf der Plattform auftritt (@Handle).",
    ),
    _c(
        "user.unique_id",
        "Member id",
        "Mitglieds-ID",
        "The identifier the platform gave the member's account.",
        "Die Kennung, die die Plattform dem Konto des Mitglieds gegeben hat.",
    ),
    _c(
        "user.name",
        "Name",
        "Name",
        "The member's real or display name.",
        "Der echte oder angezeigte Name des Mitglieds.",
    ),
    _c(
        "user.content",
        "Content",
        "Inhalte",
        "Content the member created.",
        "Inhalte, die das Mitglied erstellt hat.",
    ),
    _c(
        "user.content.public",
        "Public posts",
        "Öffentliche Beiträge",
        "Posts the member published for everyone to see.",
        "Beiträge, die das Mitglied für alle sichtbar veröffentlicht hat.",
    ),
    _c(
        "user.content.private",
        "Private posts",
        "Private Beiträge",
        "Posts shown only to followers, a circle, or with reduced reach (protected, unlisted).",
        "Beiträge nur für Follower, einen Kreis oder mit eingeschränkter Reichweite "
        "(geschützt, nicht gelistet).",
    ),
    _c(
        "user.content.private.message",
        "Direct messages",
        "Direktnachrichten",
        "Messages sent to one person or a group; used for nothing but delivering them.",
        "Nachrichten an eine Person oder eine Gruppe; sie dienen nur ihrer Zustellung.",
        ext=True,
    ),
    _c(
        "user.content.self_image",
        "Profile pictures",
        "Profilbilder",
        "Pictures in which the member can be recognised.",
        "Bilder, auf denen das Mitglied zu erkennen ist.",
    ),
    _c(
        "user.contact",
        "Contact data",
        "Kontaktdaten",
        "Ways to reach the member.",
        "Wege, das Mitglied zu erreichen.",
    ),
    _c(
        "user.contact.email",
        "E-mail address",
        "E-Mail-Adresse",
        "The member's e-mail address.",
        "Die E-Mail-Adresse des Mitglieds.",
    ),
    _c(
        "user.contact.phone_number",
        "Phone number",
        "Telefonnummer",
        "The member's phone number.",
        "Die Telefonnummer des Mitglieds.",
    ),
    _c(
        "user.contact.url",
        "Website",
        "Website",
        "Links to the member's website or other profiles.",
        "Links zur Website oder zu anderen Profilen des Mitglieds.",
    ),
    _c(
        "user.contact.address",
        "Address",
        "Anschrift",
        "The member's postal address or parts of it.",
        "Die Postanschrift des Mitglieds oder Teile davon.",
    ),
    _c(
        "user.contact.address.country",
        "Country",
        "Land",
        "The country the member lives in; it decides which law applies.",
        "Das Land, in dem das Mitglied lebt; es bestimmt, welches Recht gilt.",
    ),
    _c(
        "user.location",
        "Location",
        "Standort",
        "Where the member is or says they are.",
        "Wo sich das Mitglied aufhält oder nach eigener Angabe aufhält.",
    ),
    _c(
        "user.location.imprecise",
        "Approximate location",
        "Ungefährer Standort",
        "A city or region, as written in the profile.",
        "Eine Stadt oder Region, wie im Profil angegeben.",
    ),
    _c(
        "user.demographic",
        "Demographic data",
        "Demografische Daten",
        "Characteristics such as age, gender and language.",
        "Merkmale wie Alter, Geschlecht und Sprache.",
    ),
    _c(
        "user.demographic.date_of_birth",
        "Date of birth",
        "Geburtsdatum",
        "The member's date of birth; used to keep minors out of purposes that exclude them.",
        "Das Geburtsdatum des Mitglieds; es hält Minderjährige aus Zwecken heraus, "
        "die sie ausschließen.",
    ),
    _c(
        "user.demographic.age_range",
        "Age range",
        "Altersspanne",
        "An age or age range, given or inferred, when no birth date is known.",
        "Ein Alter oder eine Altersspanne, angegeben oder geschätzt, wenn kein Geburtsdatum "
        "bekannt ist.",
    ),
    _c(
        "user.demographic.gender",
        "Gender",
        "Geschlecht",
        "The member's gender, given or inferred by the source platform.",
        "Das Geschlecht des Mitglieds, angegeben oder von der Quellplattform geschätzt.",
    ),
    _c(
        "user.demographic.language",
        "Languages",
        "Sprachen",
        "Languages the member writes or reads.",
        "Sprachen, in denen das Mitglied schreibt oder liest.",
    ),
    _c(
        "user.demographic.profile",
        "Profile and interests",
        "Profil und Interessen",
        "The profile description and interests, given or inferred.",
        "Die Profilbeschreibung und Interessen, angegeben oder geschätzt.",
    ),
    _c(
        "user.job_title",
        "Job title",
        "Berufsbezeichnung",
        "The member's current job title.",
        "Die aktuelle Berufsbezeichnung des Mitglieds.",
    ),
    _c(
        "user.workplace",
        "Employer",
        "Arbeitgeber",
        "The organisation the member works for now.",
        "Die Organisation, für die das Mitglied derzeit arbeitet.",
    ),
    _c(
        "user.employment_history",
        "Employment history",
        "Beruflicher Werdegang",
        "Past and present positions: title, employer, dates, description.",
        "Frühere und aktuelle Stellen: Bezeichnung, Arbeitgeber, Zeitraum, Beschreibung.",
        ext=True,
    ),
    _c(
        "user.education",
        "Education",
        "Ausbildung",
        "Schools, degrees and fields of study.",
        "Schulen, Abschlüsse und Studienfächer.",
        ext=True,
    ),
    _c(
        "user.skills",
        "Skills",
        "Fähigkeiten",
        "Skills the member lists in their profile.",
        "Fähigkeiten, die das Mitglied in seinem Profil angibt.",
        ext=True,
    ),
    _c(
        "user.job_preferences",
        "Job preferences",
        "Jobwünsche",
        "Wanted titles and places, remote work, and whether the member is open to work.",
        "Gewünschte Stellen und Orte, Fernarbeit und ob das Mitglied offen für Angebote ist.",
        ext=True,
    ),
    _c(
        "user.biometric",
        "Biometric data",
        "Biometrische Daten",
        "Data computed from a person's body that can identify them.",
        "Aus dem Körper einer Person berechnete Daten, die sie identifizieren können.",
    ),
    _c(
        "user.biometric.face",
        "Face template",
        "Gesichtsmerkmale",
        "Numbers computed from a photo of the face (a face print), not the photo itself.",
        "Aus einem Foto des Gesichts berechnete Zahlen (ein Gesichtsabdruck), "
        "nicht das Foto selbst.",
        ext=True,
    ),
    # --- data uses (purposes) ---------------------------------------------------------------
    _p(
        "train_ai_system",
        "Training AI models",
        "Training von KI-Modellen",
        "Training machine-learning and AI models on members' data.",
        "Training von Modellen für maschinelles Lernen und KI mit Daten der Mitglieder.",
    ),
    _p(
        "personalize",
        "Personalisation",
        "Personalisierung",
        "Tailoring what the platform shows to the member.",
        "Anpassung dessen, was die Plattform dem Mitglied zeigt.",
    ),
    _p(
        "personalize.job_recommendations",
        "Job recommendations",
        "Jobempfehlungen",
        "Recommending job listings to the member, based on their career profile.",
        "Empfehlung von Stellenanzeigen an das Mitglied auf Grundlage seines beruflichen Profils.",
        ext=True,
    ),
    _p(
        "employment",
        "Employment",
        "Beschäftigung",
        "Recruitment and human resources.",
        "Personalgewinnung und Personalwesen.",
    ),
    _p(
        "employment.recruitment",
        "Candidate search by employers",
        "Kandidatensuche durch Arbeitgeber",
        "Letting employers find the member as a candidate for their job listings.",
        "Arbeitgeber können das Mitglied als Kandidat für ihre Stellenanzeigen finden.",
    ),
    _p(
        "essential",
        "Running the service",
        "Betrieb des Dienstes",
        "What the platform needs to work and to meet legal obligations.",
        "Was die Plattform braucht, um zu funktionieren und gesetzliche Pflichten zu erfüllen.",
    ),
    _p(
        "essential.service",
        "Providing the service",
        "Bereitstellung des Dienstes",
        "Providing the platform the member signed up for.",
        "Bereitstellung der Plattform, für die sich das Mitglied angemeldet hat.",
    ),
    _p(
        "essential.service.security",
        "Security",
        "Sicherheit",
        "Keeping the platform and its members' accounts safe.",
        "Schutz der Plattform und der Konten ihrer Mitglieder.",
    ),
    _p(
        "essential.service.security.identity_verification",
        "Identity verification",
        "Identitätsprüfung",
        "Checking that a member is the person they claim to be, with a face template.",
        "Prüfung mit Gesichtsmerkmalen, ob ein Mitglied die Person ist, die es zu sein angibt.",
        ext=True,
    ),
    _p(
        "third_party_sharing",
        "Sharing with third parties",
        "Weitergabe an Dritte",
        "Data leaving the platform, here only as differentially private statistics.",
        "Daten, die die Plattform verlassen, hier nur als differenziell private Statistiken.",
    ),
)

TERMS: dict[str, Term] = {t.key: t for t in _TERMS}
CATEGORIES: frozenset[str] = frozenset(t.key for t in _TERMS if t.kind is Kind.CATEGORY)
PURPOSES: frozenset[str] = frozenset(t.key for t in _TERMS if t.kind is Kind.PURPOSE)

# Keys the rest of the code names directly. Spelled once here so a typo is an import error.
PUBLIC_CONTENT = "user.content.public"
PRIVATE_CONTENT = "user.content.private"
MESSAGE = "user.content.private.message"
BIOMETRIC = "user.biometric"
BIOMETRIC_FACE = "user.biometric.face"
TRAIN_AI = "train_ai_system"
IDENTITY_VERIFICATION = "essential.service.security.identity_verification"


def covers(rule: str, key: str) -> bool:
    """True if the taxonomy key ``rule`` is ``key`` or one of its ancestors."""
    return key == rule or key.startswith(rule + ".")


def term(key: str) -> Term:
    """The term for ``key``; raises ``KeyError`` with the nearest known keys if unknown."""
    try:
        return TERMS[key]
    except KeyError:
        raise KeyError(f"unknown taxonomy key {key!r}") from None


def label(key: str, lang: Lang = "en") -> str:
    """The human label of ``key``, or the key itself if the taxonomy does not know it."""
    found = TERMS.get(key)
    return found.label(lang) if found else key
