"""Synthetic posts with personal data at known positions, for tests and benchmarks.

Every value is made up but valid where validity is defined: phone numbers pass
``phonenumbers``, IBANs and German tax IDs pass ``stdnum``, card numbers pass Luhn with a
real scheme prefix. Each post records the spans it inserted, so a redactor's output can be
scored against them. Posts also carry hard negatives, numbers that look like personal data
and are not: dates, prices, order numbers, versions, times, postcodes alone, ISBNs, hashtags,
and IBANs and card numbers that fail their checksums.

All functions take a `random.Random`, so the same seed gives the same posts.
"""

from __future__ import annotations

import ipaddress
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.de import idnr, stnr

from purposely.redact.identifiers import icao_check_digit
from purposely.redact.spans import Entity, Span

Rng = random.Random


@dataclass(frozen=True, slots=True)
class SyntheticPost:
    """A generated post, its language, and the personal data spans inserted into it."""

    text: str
    lang: str
    spans: tuple[Span, ...]

    def values(self, *entities: Entity) -> list[str]:
        """The inserted values of the given entity types (all types if none is given)."""
        return [
            self.text[s.start : s.end] for s in self.spans if not entities or s.entity in entities
        ]


# --- values -------------------------------------------------------------------------------

_FIRST = {
    "de": ("Anna", "Lukas", "Lea", "Jonas", "Marie", "Felix", "Sophie", "Paul", "Jürgen", "Özlem"),
    "en": ("Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Mia", "Oliver", "Grace", "Ethan"),
}
_LAST = {
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann"),
    "en": ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker"),
}
_DOMAINS = (
    "web.de", "gmx.net", "gmail.com", "posteo.de", "t-online.de", "outlook.com", "example.org",
    "mail.example.co.uk", "uni-hamburg.de", "firma-müller.de", "proton.me",
)  # fmt: skip


def person(rng: Rng, lang: str) -> str:
    """A first and last name."""
    return f"{rng.choice(_FIRST[lang])} {rng.choice(_LAST[lang])}"


def email(rng: Rng) -> str:
    """An e-mail address in one of several local-part styles."""
    first = rng.choice(_FIRST["de"] + _FIRST["en"]).lower()
    last = rng.choice(_LAST["de"] + _LAST["en"]).lower()
    local = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{rng.randint(1, 99)}",
            f"{first[0]}{last}",
            f"{first}_{last}",
            f"{first}+news",
            f"{last}.{first}{rng.randint(70, 99)}",
        )
    )
    domain = rng.choice(_DOMAINS)
    return f"{local}@{domain}" if rng.random() < 0.9 else f"{local.capitalize()}@{domain}"


def _digits(rng: Rng, count: int) -> str:
    """``count`` random digits."""
    return "".join(rng.choice(string.digits) for _ in range(count))


_DE_MOBILE = ("151", "152", "157", "160", "162", "170", "171", "172", "175", "176", "177", "179")
_DE_AREA = ("30", "40", "89", "221", "69", "711", "211", "351", "341", "511", "621", "911")
_GB_AREA = ("20", "161", "121", "131", "113", "117")
_US_AREA = ("212", "415", "646", "312", "617", "206", "303", "512", "305", "213", "702")


def _valid_number(region: str, make: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """Draw (prefix, subscriber) from ``make`` until ``phonenumbers`` accepts it."""
    while True:
        prefix, rest = make()
        if phonenumbers.is_valid_number(phonenumbers.parse(f"0{prefix}{rest}", region)):
            return prefix, rest


def phone(rng: Rng, lang: str) -> str:
    """A valid German, British or US phone number in a common written format."""
    weights = ("DE", "DE", "DE", "GB", "US") if lang == "de" else ("US", "US", "GB", "GB", "DE")
    country = rng.choice(weights)
    if country == "US":
        return _us_phone(rng)
    if country == "GB":
        prefix, rest = _valid_number(
            "GB",
            lambda: rng.choice(
                ((rng.choice(_GB_AREA), _digits(rng, 7)), ("7911", _digits(rng, 6)))
            ),
        )
        rest = f"{rest[:3]} {rest[3:]}" if len(rest) == 7 else rest
        return rng.choice((f"0{prefix} {rest}", f"+44 {prefix} {rest}"))
    prefix, rest = _valid_number(
        "DE",
        lambda: rng.choice(
            (
                (rng.choice(_DE_MOBILE), _digits(rng, rng.choice((7, 8)))),
                (rng.choice(_DE_AREA), _digits(rng, rng.choice((6, 7, 8)))),
            )
        ),
    )
    return rng.choice(
        (
            f"0{prefix} {rest}",
            f"0{prefix}/{rest}",
            f"0{prefix}-{rest}",
            f"(0{prefix}) {rest}",
            f"+49 {prefix} {rest}",
            f"+49 (0){prefix} {rest}",
            f"0049 {prefix} {rest}",
            f"0{prefix} {rest[:3]} {rest[3:]}",
        )
    )


def _us_phone(rng: Rng) -> str:
    """A valid US number: a real area code, an exchange 2-9xx, four digits."""
    while True:
        area = rng.choice(_US_AREA)
        exchange = f"{rng.randint(2, 9)}{_digits(rng, 2)}"
        line = _digits(rng, 4)
        if phonenumbers.is_valid_number(phonenumbers.parse(f"{area}{exchange}{line}", "US")):
            break
    return rng.choice(
        (
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}",
            f"+1-{area}-{exchange}-{line}",
        )
    )


# Account-number layouts (BBAN) by country: n digits, a capital letters, c either.
_BBAN = {
    "DE": "8n10n",
    "AT": "5n11n",
    "CH": "5n12n",
    "GB": "4a6n8n",
    "FR": "5n5n11n2n",
    "NL": "4a10n",
    "ES": "4n4n2n10n",
    "IT": "1a5n5n12n",
}


def _bban(rng: Rng, layout: str) -> str:
    """Random characters in an IBAN account layout such as ``8n10n``."""
    out = []
    for part in layout.replace("n", "n ").replace("a", "a ").split():
        count, kind = int(part[:-1]), part[-1]
        alphabet = string.digits if kind == "n" else string.ascii_uppercase
        out.append("".join(rng.choice(alphabet) for _ in range(count)))
    return "".join(out)


def iban(rng: Rng, *, valid: bool = True) -> str:
    """An IBAN grouped in fours or compact; ``valid=False`` breaks its check digits."""
    while True:
        country = rng.choice(("DE", "DE", "DE", "AT", "CH", "GB", "FR", "NL", "ES", "IT"))
        bban = _bban(rng, _BBAN[country])
        number = country + stdnum_iban.calc_check_digits(f"{country}00{bban}") + bban
        if stdnum_iban.is_valid(number):
            break
    if not valid:
        wrong = (int(number[3]) + rng.randint(1, 9)) % 10
        number = number[:3] + str(wrong) + number[4:]
    if rng.random() < 0.7:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


_CARD_PREFIXES = (("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15))
_CARD_PREFIXES_MORE = (("6011", 16), ("3530", 16), ("4", 13), ("36", 14))


def card(rng: Rng, *, valid: bool = True) -> str:
    """A payment card number with a real scheme prefix; ``valid=False`` fails Luhn."""
    prefix, length = rng.choice(_CARD_PREFIXES + _CARD_PREFIXES_MORE)
    body = prefix + _digits(rng, length - len(prefix) - 1)
    check = int(luhn.calc_check_digit(body))
    digits = body + str(check if valid else (check + rng.randint(1, 9)) % 10)
    # How each length is printed: 4-4-5, 4-6-4, 4-6-5, 4-4-4-4.
    cuts = {13: (4, 8), 14: (4, 10), 15: (4, 10), 16: (4, 8, 12)}[length]
    groups = [digits[a:b] for a, b in zip((0, *cuts), (*cuts, length), strict=True)]
    style = rng.random()
    if style < 0.5:
        return " ".join(groups)
    if style < 0.7:
        return "-".join(groups)
    return digits


def ipv4(rng: Rng) -> str:
    """A public-looking IPv4 address."""
    first = rng.choice([n for n in range(1, 224) if n not in (10, 127)])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: Rng) -> str:
    """An IPv6 address, in full or compressed form."""
    groups = [rng.randint(0, 0xFFFF) for _ in range(8)]
    if rng.random() < 0.5:
        groups[rng.randint(2, 5)] = 0
        groups[rng.randint(2, 5)] = 0
    address = ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups))
    text = address.compressed if rng.random() < 0.6 else address.exploded
    return text if any(c.isdigit() for c in text) else ipv6(rng)


_DE_STREET_NAMES = (
    "Haupt", "Bahnhof", "Schul", "Garten", "Kirch", "Wald", "Linden", "Goethe", "Schiller",
    "Mozart", "Post", "Rosen", "Birken", "Eichen", "Mühlen", "Brunnen", "Feld", "Sonnen",
)  # fmt: skip
_DE_ENDINGS = ("straße", "str.", "weg", "allee", "platz", "gasse", "ring", "damm", "strasse")
_DE_TWO_WORD = ("Berliner Straße", "Frankfurter Allee", "Kölner Str.", "Alte Gasse", "Lange Reihe")
_DE_HYPHENATED = ("Karl-Marx-Allee", "Friedrich-Ebert-Straße", "Konrad-Adenauer-Ring")
_DE_PREPOSITIONAL = ("Am Markt", "An der Alster", "Unter den Linden", "Im Winkel", "Zum Hafen")
_DE_PLACES = (
    ("10115", "Berlin"), ("80331", "München"), ("20095", "Hamburg"), ("50667", "Köln"),
    ("60311", "Frankfurt am Main"), ("70173", "Stuttgart"), ("04109", "Leipzig"),
    ("01067", "Dresden"), ("28195", "Bremen"), ("90402", "Nürnberg"),
)  # fmt: skip
_EN_STREET_NAMES = (
    "Main", "Oak", "Maple", "Baker", "Elm", "Park", "Washington", "Lake", "Hill", "Cedar",
    "Pine", "High", "Church", "Station", "Victoria", "King",
)  # fmt: skip
_EN_TYPES = ("Street", "St", "Avenue", "Ave", "Road", "Rd", "Lane", "Drive", "Boulevard", "Way")
_EN_PLACES = (
    ", Springfield, IL 62704", ", Austin, TX 78701", ", Portland, OR 97205",
    ", London SW1A 2AA", ", Manchester M1 1AE", ", Boston, MA 02108",
)  # fmt: skip


def address(rng: Rng, lang: str) -> str:
    """A German or English street address, with or without postcode and place."""
    return _german_address(rng) if lang == "de" else _english_address(rng)


def _german_address(rng: Rng) -> str:
    """A German street, house number and (often) postcode and place."""
    number = f"{rng.randint(1, 199)}{rng.choice(('', '', '', 'a', 'b'))}"
    postcode, place = rng.choice(_DE_PLACES)
    kind = rng.random()
    if kind < 0.15:
        return f"{rng.choice(_DE_PREPOSITIONAL)} {number}, {postcode} {place}"
    if kind < 0.55:
        street = rng.choice(_DE_STREET_NAMES) + rng.choice(_DE_ENDINGS)
    elif kind < 0.8:
        street = rng.choice(_DE_TWO_WORD)
    else:
        street = rng.choice(_DE_HYPHENATED)
    return f"{street} {number}" if rng.random() < 0.4 else f"{street} {number}, {postcode} {place}"


def _english_address(rng: Rng) -> str:
    """An English house number and street, often with a city and postcode."""
    number = f"{rng.randint(1, 9999)}{rng.choice(('', '', '', 'B'))}"
    street = f"{number} {rng.choice(_EN_STREET_NAMES)} {rng.choice(_EN_TYPES)}"
    if rng.random() < 0.2:
        street += f", Apt. {rng.randint(1, 40)}"
    return street if rng.random() < 0.4 else street + rng.choice(_EN_PLACES)


def tax_id(rng: Rng) -> str:
    """A German Steuer-IdNr that ``stdnum.de.idnr`` accepts, compact or grouped."""
    while True:
        digits = [rng.choice("123456789"), *rng.sample("0123456789", 9)]
        digits[rng.randint(2, 9)] = digits[1]  # exactly one digit repeated
        body = "".join(digits[:10])
        for check in "0123456789":
            if idnr.is_valid(body + check):
                number = body + check
                return number if rng.random() < 0.6 else idnr.format(number)


def tax_number(rng: Rng) -> str:
    """A German Steuernummer in a state's slashed layout."""
    while True:
        layout = rng.choice(((2, 3, 5), (3, 3, 5), (3, 4, 4)))
        number = "/".join(_digits(rng, n) for n in layout)
        if number[0] != "0" and stnr.is_valid(number):
            return number


_ICAO_LETTERS = "CFGHJKLMNPRTVWXYZ"


def document_number(rng: Rng) -> str:
    """A German ID card or passport number: nine ICAO characters, sometimes a check digit."""
    rest = "".join(rng.choice(_ICAO_LETTERS + string.digits) for _ in range(8))
    if not any(c.isdigit() for c in rest):
        rest = rest[:-1] + str(rng.randint(0, 9))
    number = rng.choice(_ICAO_LETTERS) + rest
    return number + str(icao_check_digit(number)) if rng.random() < 0.3 else number


# --- sentences ------------------------------------------------------------------------------

# Templates per entity and language; "{}" is where the value goes.
_TEMPLATES: dict[Entity, dict[str, tuple[str, ...]]] = {
    Entity.EMAIL: {
        "de": ("Schreib mir an {}.", "Kontakt: {}", "Meine neue Adresse ist {} :)", "Mail an {}"),
        "en": ("Email me at {}.", "Contact: {}", "My new address is {} :)", "Send it to {}"),
    },
    Entity.PHONE: {
        "de": ("Ruf mich an: {}", "Tel. {}", "Meine Handynummer ist {}.", "erreichbar unter {}"),
        "en": ("Call me at {}.", "Phone: {}", "My number is {}", "Text me on {} anytime"),
    },
    Entity.IBAN: {
        "de": ("Meine IBAN ist {}.", "Bitte überweist an {}", "IBAN: {} (Spendenkonto)"),
        "en": ("My IBAN is {}.", "Please transfer to {}", "IBAN: {} for donations"),
    },
    Entity.CARD: {
        "de": ("Meine Kreditkarte {} wurde gesperrt", "Karte {} geht nicht", "Kartennr. {}"),
        "en": ("My card {} was declined", "Card number {} expires soon", "Use {} for it"),
    },
    Entity.IP: {
        "de": ("Mein Server {} ist down", "Zugriff von {} blockiert", "IP: {}"),
        "en": ("My server {} is down", "Access from {} was blocked", "IP: {}"),
    },
    Entity.ADDRESS: {
        "de": ("Wir wohnen jetzt in der {}.", "Paket bitte an {}", "Party bei mir: {}!"),
        "en": ("We moved to {}.", "Send the parcel to {}", "Party at my place: {}!"),
    },
    Entity.ID: {
        "de": ("Meine Steuer-ID ist {}", "Steuer-IdNr: {}", "Steuernummer {} beim Finanzamt"),
        "en": ("My German tax ID is {}", "Steuer-IdNr: {}", "tax number {} (Finanzamt)"),
    },
    Entity.PERSON: {
        "de": ("Ich bin {}.", "Grüße an {}!", "Danke, {}, für alles."),
        "en": ("I am {}.", "Shout-out to {}!", "Thanks, {}, for everything."),
    },
}
_DOCUMENT_TEMPLATES = {
    "de": ("Ausweisnummer: {}", "Reisepassnummer {} verloren"),
    "en": ("Passport number {} lost", "ID card number: {}"),
}

_FILLER = {
    "de": (
        "Heute war ein wunderschöner Tag am See.",
        "Wer kommt morgen mit zum Konzert?",
        "Endlich Wochenende, ich brauche dringend Schlaf.",
        "Der neue Film ist wirklich sehenswert, klare Empfehlung!",
        "Kaffee schmeckt heute irgendwie besser als sonst.",
        "Unser Verein sucht noch Freiwillige für das Sommerfest.",
        "Das Wetter in Hamburg ist mal wieder typisch.",
        "Ich lerne gerade Python und bin begeistert.",
        "Danke an alle für die lieben Glückwünsche!",
        "Kann jemand ein gutes Buch über Geschichte empfehlen?",
        "Die Bahn hat mal wieder Verspätung, wie immer.",
        "Frisches Brot vom Bäcker ist einfach unschlagbar.",
    ),
    "en": (
        "Just finished reading an amazing book about computing.",
        "Who is coming to the concert tomorrow?",
        "Finally the weekend, I really need some sleep.",
        "The new movie is absolutely worth watching!",
        "Coffee tastes better than usual today.",
        "Our club is still looking for volunteers for the summer fair.",
        "The weather in London is typical again.",
        "Learning Rust right now and loving it.",
        "Thanks everyone for the kind wishes!",
        "Can anyone recommend a good history book?",
        "The train is late again, as always.",
        "Fresh bread from the bakery is simply unbeatable.",
    ),
}

# Hard negatives: numbers that look like personal data and are not.
_NEGATIVES: dict[str, tuple[Callable[[Rng], str], ...]] = {
    "de": (
        lambda r: (
            f"Treffen am {r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(2020, 2026)}."
        ),
        lambda r: f"Beginn um {r.randint(8, 22)}:{r.choice(('00', '15', '30', '45'))} Uhr.",
        lambda r: f"Kostet nur {r.randint(1, 2)}.{r.randint(100, 999)},{r.randint(0, 99):02d} €.",
        lambda r: f"Für {r.randint(5, 99)},{r.randint(0, 99):02d} EUR im Angebot.",
        lambda r: (
            f"Bestellnummer {r.randint(300, 306)}-{_digits(r, 7)}-{_digits(r, 7)} kam nie an."
        ),
        lambda r: f"Sendungsnummer 00340434{_digits(r, 12)} hängt fest.",
        lambda r: (
            f"Update auf Version {r.randint(1, 12)}.{r.randint(0, 20)}.{r.randint(0, 9)} ist da."
        ),
        lambda r: f"Wir sind nach {r.choice(_DE_PLACES)[0]} {r.choice(_DE_PLACES)[1]} gezogen.",
        lambda r: f"ISBN 978-3-{r.randint(10, 99)}-{_digits(r, 6)}-{r.randint(0, 9)} lesen!",
        lambda r: (
            f"#{r.choice(('Berlin', 'WM', 'Corona', 'Abi'))}{r.randint(2000, 2026)} war toll."
        ),
        lambda r: f"Falsche IBAN {iban(r, valid=False)} zurückgebucht.",
        lambda r: f"Die Nummer {card(r, valid=False)} ist ungültig.",
        lambda r: (
            f"Endstand {r.randint(0, 5)}:{r.randint(0, 5)}, {r.randint(10000, 80000)} Zuschauer."
        ),
        lambda r: f"Von {r.randint(1990, 2010)} bis {r.randint(2011, 2026)} in der Firma.",
        lambda r: f"Schon {r.randint(1, 9)}.{r.randint(100, 999)}.{r.randint(100, 999)} Aufrufe!",
        lambda r: f"Zimmer {r.randint(100, 999)}, Etage {r.randint(1, 9)}.",
    ),
    "en": (
        lambda r: f"Meet on {r.randint(1, 12)}/{r.randint(1, 28)}/{r.randint(2020, 2026)}.",
        lambda r: f"Doors open at {r.randint(1, 12)}:{r.choice(('00', '15', '30', '45'))} pm.",
        lambda r: f"Only ${r.randint(1, 9)},{r.randint(100, 999)}.{r.randint(0, 99):02d} today.",
        lambda r: f"Order #{r.randint(100, 999)}-{_digits(r, 7)}-{_digits(r, 7)} never arrived.",
        lambda r: f"Tracking number 1Z{_digits(r, 16)} is stuck.",
        lambda r: f"Version {r.randint(1, 12)}.{r.randint(0, 20)}.{r.randint(0, 9)} is out!",
        lambda r: f"Build {r.randint(10, 11)}.0.{r.randint(19000, 22999)}.{r.randint(1000, 4000)}.",
        lambda r: f"We moved to {r.choice(('NY', 'CA', 'TX'))} {r.randint(10000, 99999)}.",
        lambda r: f"ISBN 0-{r.randint(100, 999)}-{_digits(r, 5)}-{r.randint(0, 9)} is a classic.",
        lambda r: f"#{r.choice(('100DaysOfCode', 'Covid', 'Olympics'))}{r.randint(19, 2026)} rocks",
        lambda r: f"Wrong IBAN {iban(r, valid=False)} bounced.",
        lambda r: f"The number {card(r, valid=False)} is invalid.",
        lambda r: (
            f"Final score {r.randint(0, 5)}-{r.randint(0, 5)}, {r.randint(10000, 80000)} fans."
        ),
        lambda r: f"From {r.randint(1990, 2010)} to {r.randint(2011, 2026)} at the company.",
        lambda r: f"Already {r.randint(1, 9)},{r.randint(100, 999)},{r.randint(100, 999)} views!",
        lambda r: f"Room {r.randint(100, 999)} on floor {r.randint(1, 9)}.",
    ),
}


def value(rng: Rng, entity: Entity, lang: str) -> tuple[str, str]:
    """A (template, value) pair for ``entity`` in ``lang``."""
    if entity is Entity.ID and rng.random() < 0.3:
        return rng.choice(_DOCUMENT_TEMPLATES[lang]), document_number(rng)
    template = rng.choice(_TEMPLATES[entity][lang])
    return template, _VALUES[entity](rng, lang)


def _id_value(rng: Rng, lang: str) -> str:
    """A tax ID, or (less often) a slashed tax number."""
    return tax_id(rng) if rng.random() < 0.7 else tax_number(rng)


_VALUES: dict[Entity, Callable[[Rng, str], str]] = {
    Entity.EMAIL: lambda rng, lang: email(rng),
    Entity.PHONE: phone,
    Entity.IBAN: lambda rng, lang: iban(rng),
    Entity.CARD: lambda rng, lang: card(rng),
    Entity.IP: lambda rng, lang: ipv4(rng) if rng.random() < 0.7 else ipv6(rng),
    Entity.ADDRESS: address,
    Entity.ID: _id_value,
    Entity.PERSON: person,
}


# --- posts ----------------------------------------------------------------------------------


def post(
    rng: Rng,
    lang: str | None = None,
    *,
    entities: tuple[Entity, ...] = tuple(Entity),
    pii: float = 0.35,
    negatives: float = 0.4,
) -> SyntheticPost:
    """A post of filler sentences, maybe personal data, maybe hard negatives.

    With probability ``pii`` the post holds one value of a type drawn from ``entities`` (a
    tenth of those hold a second one); with probability ``negatives`` one hard negative.
    """
    lang = lang or rng.choice(("de", "en"))
    pieces: list[tuple[str, str, Entity] | str] = [
        rng.choice(_FILLER[lang]) for _ in range(rng.randint(1, 2))
    ]
    if entities and rng.random() < pii:
        for _ in range(2 if rng.random() < 0.1 else 1):
            entity = rng.choice(entities)
            template, inserted = value(rng, entity, lang)
            pieces.append((template, inserted, entity))
    if rng.random() < negatives:
        pieces.append(rng.choice(_NEGATIVES[lang])(rng))
    rng.shuffle(pieces)
    return _assemble(pieces, lang)


def _assemble(pieces: list[tuple[str, str, Entity] | str], lang: str) -> SyntheticPost:
    """Join the sentences with spaces, recording where each inserted value lands."""
    text: list[str] = []
    spans: list[Span] = []
    position = 0
    for piece in pieces:
        if text:
            text.append(" ")
            position += 1
        if isinstance(piece, str):
            sentence = piece
        else:
            template, inserted, entity = piece
            before, after = template.split("{}")
            start = position + len(before)
            spans.append(Span(start, start + len(inserted), entity))
            sentence = before + inserted + after
        text.append(sentence)
        position += len(sentence)
    return SyntheticPost("".join(text), lang, tuple(spans))


def corpus(count: int, seed: int = 0) -> list[SyntheticPost]:
    """``count`` posts, half German and half English, the same for the same ``seed``."""
    rng = random.Random(seed)
    return [post(rng, "de" if i % 2 == 0 else "en") for i in range(count)]
