"""A synthetic social platform in the JSONL interchange format (DESIGN.md section 5).

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the same seed,
sizes and policy give a byte-identical file. Members live in Germany, elsewhere in the EU/EEA,
the UK, Switzerland, the US and further afield, a few in an unknown country; some are minors,
some gave only a birth year or month, a few no birth date. They write posts in German and
English (some private, a few with e-mail addresses, phone numbers, IBANs or street addresses),
send each other direct messages, keep career profiles, and take every kind of consent decision
about every purpose of the policy. A few posts are deleted, a few turned private later.

The first member is the demo's example: an adult in Germany with public posts and a career
profile who granted every purpose, so the gate has something to show for them.

Minors are born 2010 to 2012 and adults by 2005, so the gate sees them as minors and adults
until 2028 whatever the day the demo runs; every timestamp lies in 2023 to 2025.
"""

from __future__ import annotations

import json
import random
import string
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from purposely.demo import texts
from purposely.demo.texts import Country, Gender, Lang, Occupation
from purposely.policy import LegalBasis, Policy, load_policy

Line = dict[str, Any]

FILE_NAME = "platform.jsonl"
MIN_SUBJECTS = 10
MIN_POSTS = 10
ADULTS_BORN_BY = 2005
START = datetime(2023, 1, 1, tzinfo=UTC)
END = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
JOBS_FROM = datetime(2025, 1, 1, tzinfo=UTC)  # listings are current: posted in the last year

# Shares of members, by age: exact counts, shuffled (see _apportion).
AGE_SHARES = {"adult": 0.89, "minor": 0.08, "unknown": 0.03}
# How precisely a known birth date is given.
BIRTH_PRECISION = {"day": 0.84, "month": 0.08, "year": 0.08}
PRIVATE_POSTS = 0.15
PII_POSTS = 0.035
PII_MESSAGES = 0.08
MESSAGES_PER_POST = 0.2
CAREER_PROFILES = 0.8  # of adults; half as many members of unknown age keep one
MADE_PRIVATE = 0.01  # of posts, sent again as private
DELETED_POSTS = 0.005
DELETED_MESSAGES = 0.003

# Per purpose, shares of members by decision story (see _story); the rest decide nothing.
DEFAULT_DECISION_SHARES = {"grant": 0.40, "withdraw": 0.10, "object": 0.06, "regrant": 0.03}
DECISION_SHARES: dict[str, dict[str, float]] = {
    "train_ai_system": {"grant": 0.45, "withdraw": 0.10, "object": 0.10, "regrant": 0.03},
    "personalize.job_recommendations": {
        "grant": 0.55,
        "withdraw": 0.08,
        "object": 0.04,
        "regrant": 0.03,
    },
    "employment.recruitment": {"grant": 0.40, "withdraw": 0.10, "object": 0.05, "regrant": 0.03},
    "essential.service.security.identity_verification": {
        "grant": 0.20,
        "withdraw": 0.05,
        "object": 0.03,
        "regrant": 0.02,
    },
    "third_party_sharing": {"grant": 0.18, "withdraw": 0.08, "object": 0.12, "regrant": 0.02},
}


@dataclass(frozen=True)
class Member:
    """A member of the demo platform, as the generator knows them."""

    id: str
    handle: str
    first: str
    last: str
    gender: Gender
    country: Country
    city: str | None
    lang: Lang
    birth_date: str | None
    birth_year: int | None


@dataclass
class PlatformSummary:
    """What :func:`write_platform` wrote."""

    path: Path
    seed: int
    bytes: int
    lines: Counter[str] = field(default_factory=Counter)
    made_private: int = 0
    example_handle: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "file": str(self.path),
            "seed": self.seed,
            "bytes": self.bytes,
            "lines": dict(sorted(self.lines.items())),
            "posts_made_private": self.made_private,
            "example_subject": f"@{self.example_handle}",
        }


def generate(
    seed: int = 7, subjects: int = 400, posts: int = 10_000, policy: Policy | None = None
) -> Iterator[Line]:
    """The demo platform's JSONL lines, as dicts with ``type`` first, in file order.

    Consents cover every purpose of ``policy`` (default: the shipped policy).
    """
    if subjects < MIN_SUBJECTS:
        raise ValueError(f"the demo needs at least {MIN_SUBJECTS} subjects, not {subjects}")
    if posts < MIN_POSTS:
        raise ValueError(f"the demo needs at least {MIN_POSTS} posts, not {posts}")
    return _Generator(seed, subjects, posts, policy or load_policy()).lines()


def write_platform(
    path: Path,
    seed: int = 7,
    subjects: int = 400,
    posts: int = 10_000,
    policy: Policy | None = None,
) -> PlatformSummary:
    """Write the demo platform to ``path`` (replaced whole, never half-written)."""
    summary = PlatformSummary(path=path, seed=seed, bytes=0)
    seen_posts: set[str] = set()
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8", newline="\n") as out:
        for line in generate(seed, subjects, posts, policy):
            kind = line["type"]
            summary.lines[kind] += 1
            if kind == "subject" and not summary.example_handle:
                summary.example_handle = line["handle"]
            if kind == "post":
                summary.made_private += line["id"] in seen_posts
                seen_posts.add(line["id"])
            out.write(dumps(line) + "\n")
    partial.replace(path)
    summary.bytes = path.stat().st_size
    return summary


def dumps(line: Line) -> str:
    """One line of the file: compact JSON, UTF-8 characters kept as they are."""
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def rfc3339(at: datetime) -> str:
    """``at`` as an RFC 3339 UTC timestamp with a ``Z``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _apportion(rng: random.Random, n: int, shares: dict[str, float]) -> list[str]:
    """``n`` labels in the given shares (largest remainder), each at least once, shuffled."""
    total = sum(shares.values())
    exact = {k: n * v / total for k, v in shares.items()}
    counts = {k: max(1, int(x)) for k, x in exact.items()}
    by_remainder = sorted(shares, key=lambda k: (-(exact[k] - int(exact[k])), k))
    for key in by_remainder[: max(0, n - sum(counts.values()))]:
        counts[key] += 1
    while sum(counts.values()) > n:  # the at-least-once rule took too many: trim the largest
        counts[max(counts, key=lambda k: (counts[k], k))] -= 1
    labels = [k for k in shares for _ in range(counts[k])]
    rng.shuffle(labels)
    return labels


def _ascii(text: str) -> str:
    """``text`` folded to lowercase ASCII letters and digits, the way handles are written."""
    text = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("\u0131", "i")):
        text = text.replace(umlaut, plain)
    for special, plain in (("ł", "l"), ("ø", "o"), ("æ", "ae"), ("ş", "s")):
        text = text.replace(special, plain)
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c in string.ascii_lowercase + string.digits)


def _iban(rng: random.Random, country: str, bban_digits: int) -> str:
    """A well-formed IBAN (valid ISO 13616 check digits) with a random numeric account."""
    bban = "".join(str(rng.randrange(10)) for _ in range(bban_digits))
    letters = "".join(str(ord(c) - ord("A") + 10) for c in country)
    check = 98 - int(bban + letters + "00") % 97
    return f"{country}{check:02d}{bban}"


class _Generator:
    """Draws the platform; call :meth:`lines` once."""

    def __init__(self, seed: int, subjects: int, posts: int, policy: Policy) -> None:
        self.rng = random.Random(seed)
        self.n_subjects = subjects
        self.n_posts = posts
        self.policy = policy
        self.members: list[Member] = []
        self._handles: set[str] = set()

    def lines(self) -> Iterator[Line]:
        """Every line, in an order the importer accepts (subjects before what they own)."""
        self.members = self._members()
        yield from (self._subject_line(m) for m in self.members)
        yield from self._jobs()
        yield from self._careers()
        posts = self._posts()
        yield from posts
        messages = self._messages()
        yield from messages
        yield from self._consents()
        yield from self._changes(posts, messages)

    # --- members -----------------------------------------------------------------------------

    def _members(self) -> list[Member]:
        rng = self.rng
        width = len(str(self.n_subjects))
        countries = {c.code or "": c for c in texts.COUNTRIES}
        # The example member comes first; the others follow the shares exactly.
        rest = self.n_subjects - 1
        ages = _apportion(rng, rest, AGE_SHARES)
        weights = {c.code or "": c.weight for c in texts.COUNTRIES}
        places = _apportion(rng, rest, weights)
        members = [self._member(f"u{1:0{width}d}", countries["DE"], "adult", "day")]
        for i, (age, place) in enumerate(zip(ages, places, strict=True), start=2):
            precision = rng.choices(list(BIRTH_PRECISION), list(BIRTH_PRECISION.values()))[0]
            members.append(self._member(f"u{i:0{width}d}", countries[place], age, precision))
        return members

    def _member(self, member_id: str, country: Country, age: str, precision: str) -> Member:
        rng = self.rng
        first, gender = rng.choice(texts.FIRST_NAMES[country.names])
        last = rng.choice(texts.LAST_NAMES[country.names])
        year = None
        birth = None
        if age != "unknown":
            year = (
                rng.randint(2010, 2012) if age == "minor" else int(rng.triangular(1950, 2005, 1991))
            )
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            birth = {
                "day": f"{year}-{month:02d}-{day:02d}",
                "month": f"{year}-{month:02d}",
                "year": f"{year}",
            }[precision]
        if country.german:
            lang: Lang = "de" if rng.random() < 0.85 else "en"
        else:
            lang = "de" if rng.random() < 0.03 else "en"
        return Member(
            id=member_id,
            handle=self._handle(first, last, year),
            first=first,
            last=last,
            gender=gender,
            country=country,
            city=rng.choice(country.cities) if country.cities else None,
            lang=lang,
            birth_date=birth,
            birth_year=year,
        )

    def _handle(self, first: str, last: str, year: int | None) -> str:
        f, la = _ascii(first), _ascii(last)
        suffix = str(year % 100).zfill(2) if year else str(self.rng.randint(1, 99))
        base = self.rng.choice(
            (f"{f}.{la}", f"{f}{la}{suffix}", f"{f}_{la[0]}", f"{f[0]}{la}", f"{la}.{f}")
        )
        handle, n = base, 1
        while handle in self._handles:
            n += 1
            handle = f"{base}{n}"
        self._handles.add(handle)
        return handle

    @staticmethod
    def _subject_line(m: Member) -> Line:
        line: Line = {"type": "subject", "id": m.id, "handle": m.handle}
        if m.birth_date is not None:
            line["birth_date"] = m.birth_date
        if m.country.code is not None:
            line["country"] = m.country.code
        return line

    # --- jobs and careers --------------------------------------------------------------------

    def _jobs(self) -> Iterator[Line]:
        rng = self.rng
        n = max(5, self.n_subjects // 10)
        width = len(str(n))
        where = [c for c in texts.COUNTRIES if c.code in ("DE", "AT", "CH", "GB", "US", "NL")]
        for i in range(1, n + 1):
            job = rng.choice(texts.OCCUPATIONS)
            country = rng.choices(where, [c.weight for c in where])[0]
            lang: Lang = "de" if country.german else "en"
            _, de_m, en = rng.choice(job.titles)
            title = f"{de_m} (m/w/d)" if lang == "de" else en
            city = rng.choice(country.cities)
            skills = rng.sample(job.skills[lang], rng.randint(2, 4))
            posted = JOBS_FROM + timedelta(days=rng.randrange(365), seconds=rng.randrange(86400))
            yield {
                "type": "job",
                "id": f"j{i:0{width}d}",
                "employer": rng.choice(texts.EMPLOYERS[lang]),
                "title": title,
                "description": rng.choice(texts.JOB_DESCRIPTIONS[lang]).format(
                    city=city, skills=self._join(skills, lang)
                ),
                "location": city,
                "skills": skills,
                "posted_at": rfc3339(posted),
            }

    @staticmethod
    def _join(items: Sequence[str], lang: Lang) -> str:
        if len(items) == 1:
            return items[0]
        return f"{', '.join(items[:-1])} {'und' if lang == 'de' else 'and'} {items[-1]}"

    def _careers(self) -> Iterator[Line]:
        rng = self.rng
        for m in self.members:
            if m.birth_year is None:
                share = CAREER_PROFILES / 2
            else:
                share = CAREER_PROFILES if m.birth_year <= ADULTS_BORN_BY else 0.0
            if m is self.members[0] or rng.random() < share:
                yield from self._career(m, rng.choice(texts.OCCUPATIONS))

    def _title(self, m: Member, titles: tuple[str, str, str]) -> str:
        de_f, de_m, en = titles
        if m.lang == "en":
            return en
        return de_f if m.gender == "f" else de_m

    def _career(self, m: Member, job: Occupation) -> Iterator[Line]:
        rng = self.rng
        start = (m.birth_year + rng.randint(19, 26)) if m.birth_year else rng.randint(2000, 2018)
        yield from self._education(m, job, start)
        positions = rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]
        year, current = min(start, 2024), self._title(m, job.titles[0])
        for i in range(positions):
            last = i == positions - 1 or year >= 2023
            length = rng.randint(1, 6)
            ended = not last or rng.random() < 0.15
            end = min(year + length, 2025) if ended else None
            current = self._title(m, job.titles[0] if i == 0 else rng.choice(job.titles))
            line: Line = {
                "type": "employment",
                "subject": m.id,
                "id": f"{m.id}-e{i + 1}",
                "title": current,
                "employer": rng.choice(texts.EMPLOYERS[m.lang]),
                "start": f"{year}-{rng.randint(1, 12):02d}",
                "end": None if end is None else f"{end}-{rng.randint(1, 12):02d}",
            }
            if rng.random() < 0.5:
                line["description"] = rng.choice(texts.EMPLOYMENT_DESCRIPTIONS[m.lang]).format(
                    skill=rng.choice(job.skills[m.lang]), number=rng.randint(3, 25)
                )
            yield line
            if last:
                break
            year = (end or year) + rng.randint(0, 1)
        for skill in rng.sample(
            job.skills[m.lang], rng.randint(3, min(7, len(job.skills[m.lang])))
        ):
            yield {"type": "skill", "subject": m.id, "name": skill}
        if m is self.members[0] or rng.random() < 0.6:
            yield self._preferences(m, job, current)

    def _education(self, m: Member, job: Occupation, career_start: int) -> Iterator[Line]:
        """One or two degrees, back to back, ending when the career starts."""
        rng = self.rng
        schools = texts.SCHOOLS.get(m.country.code or "", texts.SCHOOLS[""])
        degrees = job.degrees[m.lang]
        count = rng.choices((1, 2), (70, 30))[0]
        year = career_start - (3 if count == 1 else 5)
        for i in range(count):
            years = 3 if i == 0 else 2
            yield {
                "type": "education",
                "subject": m.id,
                "id": f"{m.id}-s{i + 1}",
                "school": rng.choice(schools),
                "degree": degrees[min(i, len(degrees) - 1)],
                "field": rng.choice(job.fields[m.lang]),
                "start": str(year),
                "end": str(year + years),
            }
            year += years

    def _preferences(self, m: Member, job: Occupation, current: str) -> Line:
        rng = self.rng
        titles = [current]
        other = self._title(m, rng.choice(job.titles))
        if other != current and rng.random() < 0.5:
            titles.append(other)
        locations = [m.city] if m.city else []
        if m.country.cities and rng.random() < 0.3:
            extra = rng.choice(m.country.cities)
            if extra not in locations:
                locations.append(extra)
        return {
            "type": "job_preferences",
            "subject": m.id,
            "titles": titles,
            "locations": locations,
            "remote": rng.random() < 0.5,
            "open_to_work": m is self.members[0] or rng.random() < 0.35,
        }

    # --- posts and messages ------------------------------------------------------------------

    def _moment(self) -> datetime:
        """A time in 2023 to 2025, later ones likelier (the platform grows)."""
        span = (END - START).total_seconds()
        return START + timedelta(seconds=int(self.rng.triangular(0, span, span)))

    def _posts(self) -> list[Line]:
        rng = self.rng
        weights = [rng.lognormvariate(0, 1) for _ in self.members]
        # The example member posts often, but not so often that their answers drown in ids.
        weights[0] = sorted(weights)[int(len(weights) * 0.9)]
        authors = rng.choices(self.members, weights, k=self.n_posts)
        authors[0] = self.members[0]
        drafts = []
        for i, author in enumerate(authors):
            lang = author.lang if rng.random() < 0.9 else ("en" if author.lang == "de" else "de")
            public = i == 0 or rng.random() >= PRIVATE_POSTS
            drafts.append((self._moment(), author, lang, public, self._post_text(author, lang)))
        drafts.sort(key=lambda d: (d[0], d[1].id))
        width = len(str(self.n_posts))
        return [
            {
                "type": "post",
                "id": f"p{i:0{width}d}",
                "subject": author.id,
                "text": text,
                "visibility": "public" if public else "private",
                "lang": lang,
                "created_at": rfc3339(at),
            }
            for i, (at, author, lang, public, text) in enumerate(drafts, start=1)
        ]

    def _post_text(self, author: Member, lang: Lang) -> str:
        rng = self.rng
        pii = rng.random() < PII_POSTS
        pool = texts.PII_POST_TEMPLATES if pii else texts.POST_TEMPLATES
        text = self._fill(rng.choice(pool[lang]), author, lang)
        roll = rng.random()
        if roll < 0.18:
            text = f"@{self._other(author).handle} {text}"
        elif roll < 0.26:
            text = f"{text} {'mit' if lang == 'de' else 'with'} @{self._other(author).handle}"
        tags = rng.choices((0, 1, 2, 3), (45, 35, 15, 5))[0]
        if tags:
            text += " " + " ".join(f"#{t}" for t in rng.sample(texts.HASHTAGS[lang], tags))
        if rng.random() < 0.12:
            text += f" {self._link()}"
        return text

    def _link(self) -> str:
        rng = self.rng
        slug = _ascii(rng.choice(texts.FILLERS["en"]["topic"]))
        path = rng.choice(texts.LINK_PATHS)
        return f"https://{rng.choice(texts.LINK_HOSTS)}/{path}/{slug}-{rng.randint(1, 999)}"

    def _other(self, member: Member) -> Member:
        while (other := self.rng.choice(self.members)) is member:
            pass
        return other

    def _fill(self, template: str, author: Member, lang: Lang) -> str:
        """``template`` with each slot drawn in the order it appears."""
        values: dict[str, str] = {}
        for _, name, _, _ in string.Formatter().parse(template):
            if name and name not in values:
                values[name] = self._slot(name, author, lang)
        return template.format(**values)

    def _slot(self, name: str, author: Member, lang: Lang) -> str:
        rng = self.rng
        match name:
            case "city":
                return author.city or rng.choice(texts.COUNTRIES[0].cities)
            case "number":
                return str(rng.choice((3, 5, 7, 10, 12, 15, 20, 25, 30, 40, 45, 60, 90)))
            case "email":
                return self._email(author)
            case "phone":
                return self._phone(author)
            case "iban":
                return self._iban_text(author)
            case "address":
                return self._address(author, lang)
            case _:
                return rng.choice(texts.FILLERS[lang][name])

    def _messages(self) -> list[Line]:
        rng = self.rng
        drafts = []
        for _ in range(int(self.n_posts * MESSAGES_PER_POST)):
            sender = rng.choice(self.members)
            k = rng.choices((1, 2, 3), (88, 9, 3))[0]
            # A group may name someone twice; they are one recipient.
            recipients = sorted({self._other(sender).id for _ in range(k)})
            pii = rng.random() < PII_MESSAGES
            pool = texts.PII_MESSAGE_TEMPLATES if pii else texts.MESSAGE_TEMPLATES
            text = self._fill(rng.choice(pool[sender.lang]), sender, sender.lang)
            drafts.append((self._moment(), sender, recipients, text))
        drafts.sort(key=lambda d: (d[0], d[1].id))
        width = len(str(len(drafts)))
        return [
            {
                "type": "message",
                "id": f"m{i:0{width}d}",
                "sender": sender.id,
                "recipients": recipients,
                "text": text,
                "lang": sender.lang,
                "created_at": rfc3339(at),
            }
            for i, (at, sender, recipients, text) in enumerate(drafts, start=1)
        ]

    # --- personal data inside texts ----------------------------------------------------------

    def _email(self, m: Member) -> str:
        local = self.rng.choice(
            (f"{_ascii(m.first)}.{_ascii(m.last)}", m.handle.replace("_", "."), _ascii(m.first))
        )
        return f"{local}@{self.rng.choice(texts.EMAIL_DOMAINS)}"

    def _phone(self, m: Member) -> str:
        """A number in the member's national format (``#`` in the pattern is a digit)."""
        fallback = texts.PHONE_FORMATS["DE" if m.lang == "de" else ""]
        pattern = self.rng.choice(texts.PHONE_FORMATS.get(m.country.code or "", fallback))
        return "".join(str(self.rng.randrange(10)) if c == "#" else c for c in pattern)

    def _iban_text(self, m: Member) -> str:
        country, length = {"AT": ("AT", 16), "CH": ("CH", 17)}.get(m.country.code or "", ("DE", 18))
        iban = _iban(self.rng, country, length)
        if self.rng.random() < 0.6:  # people write IBANs in groups of four as often as not
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def _address(self, m: Member, lang: Lang) -> str:
        rng = self.rng
        street = rng.choice(texts.STREETS[lang])
        number = rng.randint(1, 120)
        if lang == "de":
            city = (
                m.city
                if m.city in texts.GERMAN_POSTCODES
                else rng.choice(list(texts.GERMAN_POSTCODES))
            )
            code = f"{texts.GERMAN_POSTCODES[city]}{rng.randint(100, 999)}"
            return f"{street} {number}, {code} {city}"
        letters = string.ascii_uppercase
        code = (
            f"M{rng.randint(1, 40)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        )
        return f"{number} {street}, Manchester {code}"

    # --- consents ----------------------------------------------------------------------------

    def _consents(self) -> list[Line]:
        lines: list[Line] = []
        for purpose, rule in self.policy.purposes.items():
            explicit = LegalBasis.EXPLICIT_CONSENT in rule.legal_basis.values()
            categories = list(rule.categories) if explicit else None
            shares = dict(DECISION_SHARES.get(purpose, DEFAULT_DECISION_SHARES))
            shares["none"] = max(0.0, 1 - sum(shares.values()))
            stories = ["grant", *_apportion(self.rng, len(self.members) - 1, shares)]
            for member, story in zip(self.members, stories, strict=True):
                lines.extend(self._story(member, purpose, story, categories))
        lines.sort(key=lambda c: (c["at"], c["subject"], c["purpose"]))
        return lines

    def _story(
        self, m: Member, purpose: str, story: str, categories: list[str] | None
    ) -> list[Line]:
        """The consent lines of one decision story: grant, withdraw, object, regrant, none."""
        if story == "none":
            return []
        rng = self.rng
        span = (END - START).total_seconds()
        times = sorted(START + timedelta(seconds=rng.randrange(int(span))) for _ in range(3))
        steps = {
            "grant": ["grant"],
            "withdraw": ["grant", "withdraw"],
            "object": ["object"],
            "regrant": ["grant", "withdraw", "grant"],
        }[story]
        lines = []
        for decision, at in zip(steps, times, strict=False):
            line: Line = {
                "type": "consent",
                "subject": m.id,
                "purpose": purpose,
                "decision": decision,
                "at": rfc3339(at),
                "notice_version": self._notice(at),
            }
            if decision == "grant" and categories is not None:
                line["categories"] = categories
            lines.append(line)
        return lines

    @staticmethod
    def _notice(at: datetime) -> str:
        day = at.date().isoformat()
        return [version for since, version in texts.NOTICE_VERSIONS if since <= day][-1]

    # --- later changes -----------------------------------------------------------------------

    def _changes(self, posts: list[Line], messages: list[Line]) -> Iterator[Line]:
        """Posts turned private (sent again), then deletions of posts and messages."""
        rng = self.rng
        example = self.members[0].id
        public = [p for p in posts if p["visibility"] == "public" and p["subject"] != example]
        others = [p for p in posts if p["subject"] != example]
        n_private = max(1, round(len(posts) * MADE_PRIVATE))
        turned = rng.sample(public, min(n_private, len(public)))
        for post in sorted(turned, key=lambda p: p["id"]):
            yield {**post, "visibility": "private"}
        changed = {p["id"] for p in turned}
        candidates = [p for p in others if p["id"] not in changed]
        n_deleted = max(1, round(len(posts) * DELETED_POSTS))
        gone = rng.sample(candidates, min(n_deleted, len(candidates)))
        if messages:
            gone += rng.sample(messages, max(1, round(len(messages) * DELETED_MESSAGES)))
        deletes = [{"type": "delete", "id": x["id"], "at": self._after(x)} for x in gone]
        yield from sorted(deletes, key=lambda d: (d["at"], d["id"]))

    def _after(self, line: Line) -> str:
        created = datetime.fromisoformat(line["created_at"])
        at = min(END, created + timedelta(hours=self.rng.randint(1, 24 * 60)))
        return rfc3339(at)
