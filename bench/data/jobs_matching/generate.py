"""Generate the labelled job-matching benchmark of this folder (see README.md).

    .venv/bin/python bench/data/jobs_matching/generate.py [--seed 20261127] [--out DIR]

Writes ``profiles.jsonl``, ``listings.jsonl`` and ``qrels.tsv`` next to this file. The same
seed gives the same files, byte for byte. Only the vocabularies shipped with the package are
read (``purposely.jobs.esco.load_occupations`` and ``purposely.jobs.skills.vocabulary``):
nothing here calls the title linker, the matcher or any other ranking code.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from purposely.jobs.esco import Occupation, load_occupations
from purposely.jobs.skills import Skill, vocabulary

SEED = 20261127
HERE = Path(__file__).resolve().parent
CORE_OCCUPATIONS = 250  # each gets 2 listings and 2 profiles
PER_CORE = 2
DISTRACTORS = 60  # other occupations: one listing each, and 60 more: one profile each
MAX_FAMILY = 4  # core occupations per family at most
OWN_SKILLS = 3  # skills of an occupation beyond its family's
FAMILY_SKILLS = 3  # skills every occupation of a family shares
TYPO = 0.08  # share of titles with two neighbouring letters swapped

# An occupation's field (a field of data/skills.yaml) is the first whose keywords occur as a
# word of its English preferred label (lower case; a keyword ending in "*" is a prefix).
FIELDS: dict[str, tuple[str, ...]] = {
    "data": ("data", "statistician", "statistical", "analytics"),
    "it": (
        "ict", "software", "developer", "programmer", "web", "database", "network",
        "computer", "cloud", "system", "systems", "user", "security", "application",
    ),
    "health": (
        "nurse", "nursing", "physician", "doctor", "therapist", "therapy", "pharmac*",
        "medical", "dental", "dentist", "midwife", "paramedic", "care", "health", "clinical",
        "psycholog*", "surgeon", "radiograph*", "optometrist", "chiropract*", "dietitian",
    ),
    "science": (
        "chemist", "biologist", "physicist", "scientist", "laboratory", "geologist",
        "agricultur*", "veterinar*", "forest*", "ecologist", "environmental", "farm*",
    ),
    "education": (
        "teacher", "lecturer", "instructor", "tutor", "educator", "professor", "teaching",
        "school", "trainer", "librarian",
    ),
    "finance": (
        "accountant", "accounting", "financial", "finance", "bank", "banking", "tax",
        "auditor", "audit", "insurance", "bookkeeper", "investment", "credit", "loan",
        "actuar*", "broker",
    ),
    "hr_legal": (
        "lawyer", "legal", "solicitor", "judge", "paralegal", "recruitment", "recruiter",
        "human", "court", "notary", "patent", "guard", "police",
    ),
    "marketing": (
        "marketing", "advertising", "brand", "media", "public", "communication*",
        "copywriter", "journalist", "editor", "content",
    ),
    "sales": (
        "sales", "salesperson", "shop", "retail", "cashier", "merchandiser", "buyer",
        "purchasing", "store", "vendor",
    ),
    "hospitality": (
        "chef", "cook", "waiter", "waitress", "bartender", "hotel", "receptionist",
        "housekeeper", "housekeeping", "restaurant", "catering", "baker", "barista",
        "tour", "travel", "kitchen", "sommelier",
    ),
    "logistics": (
        "warehouse", "driver", "logistics", "dispatcher", "courier", "forklift", "supply",
        "freight", "shipping", "customs", "transport", "delivery", "train", "pilot",
    ),
    "office": ("clerk", "secretary", "administrative", "office", "assistant", "typist"),
    "trades": (
        "electrician", "plumber", "carpenter", "welder", "bricklayer", "painter",
        "mechanic", "joiner", "roofer", "installer", "tiler", "plasterer", "glazier",
        "locksmith", "hairdresser", "tailor", "upholsterer", "printer", "construction",
        "gardener", "landscape*", "cleaner", "builder", "surveyor", "architect",
    ),
    "engineering": (
        "engineer", "engineering", "technician", "operator", "machine", "machinist",
        "production", "manufacturing", "assembler", "inspector", "quality",
    ),
    "management": ("manager", "director", "executive", "coordinator", "consultant"),
}  # fmt: skip
GENERIC = ("soft", "languages")  # fields of skills anyone may list, in any occupation

CITIES = (
    ("Berlin", "Berlin"),
    ("München", "Munich"),
    ("Hamburg", "Hamburg"),
    ("Köln", "Cologne"),
    ("Frankfurt am Main", "Frankfurt"),
    ("Stuttgart", "Stuttgart"),
    ("Düsseldorf", "Düsseldorf"),
    ("Leipzig", "Leipzig"),
    ("Nürnberg", "Nuremberg"),
    ("Hannover", "Hanover"),
    ("Wien", "Vienna"),
    ("Zürich", "Zurich"),
)
CITY_WEIGHTS = (20, 16, 12, 10, 9, 7, 6, 5, 5, 4, 4, 2)
EMPLOYERS = (
    "Nordlicht GmbH", "Alpenwerk AG", "Rheinblick KG", "Brightwater Ltd", "Oakfield Group",
    "Stadtwerke Mitte", "Klinikverbund Süd", "Hansa Logistik", "Meridian Consulting",
    "Lindenhof Hotels", "Bergmann & Söhne", "Bluepeak Systems", "Kranich Bau",
    "Fairway Retail", "Sonnenfeld Pflege", "Quadrant Finance",
)  # fmt: skip

# Gender forms and qualifiers as job titles carry them.
DE_SUFFIXES = (" (m/w/d)", " (w/m/d)", " (m/w/x)", "")
EN_SUFFIXES = (" (m/f/d)", "", "", "")
SENIORITY_EN = ("Senior ", "Junior ", "Lead ")
SENIORITY_DE = ("Senior ", "Junior ", "Leitender ")


@dataclass(frozen=True)
class Occ:
    """An occupation chosen for the benchmark: its ESCO entry, field, family and skills."""

    esco: Occupation
    field: str
    family: str
    skills: tuple[str, ...]


def _words(label: str) -> list[str]:
    return re.findall(r"[a-z]+", label.lower())


def field_of(occ: Occupation) -> str | None:
    """The first field whose keywords name a word of the English preferred label."""
    words = _words(occ.labels_en[0])
    for field, keywords in FIELDS.items():
        for keyword in keywords:
            if keyword.endswith("*"):
                if any(w.startswith(keyword[:-1]) for w in words):
                    return field
            elif keyword in words:
                return field
    return None


def family_of(occ: Occupation, field: str) -> str:
    """Related occupations: same field and same head word (the last word of the English
    preferred label, plural "s" dropped): "software developer" and "web developer"."""
    head = _words(occ.labels_en[0])[-1]
    head = head[:-1] if head.endswith("s") and not head.endswith("ss") else head
    return f"{field}:{head}"


def choose(rng: random.Random) -> tuple[list[Occ], list[Occ], list[Occ]]:
    """Core occupations (listings and profiles), listing-only and profile-only distractors."""
    skills = vocabulary().skills
    pools: dict[str, list[str]] = defaultdict(list)
    for key, skill in skills.items():
        pools[skill.field].append(key)
    usable: dict[str, list[Occupation]] = defaultdict(list)
    for occ in load_occupations():
        # Real occupations in both languages (ISCO groups have one label per language).
        if len(occ.labels_en) >= 3 and len(occ.labels_de) >= 2:
            field = field_of(occ)
            if field is not None:
                usable[family_of(occ, field)].append(occ)
    families = sorted(usable)
    rng.shuffle(families)
    family_skills = {f: rng.sample(pools[f.split(":")[0]], FAMILY_SKILLS) for f in sorted(families)}
    # Families with at least two occupations first (so that there are related pairs), then
    # round-robin over fields so that every field is represented.
    by_field: dict[str, list[str]] = defaultdict(list)
    for family in sorted(families, key=lambda f: len(usable[f]) < 2):
        by_field[family.split(":")[0]].append(family)
    core: list[Occupation] = []
    rest: list[Occupation] = []
    while len(core) < CORE_OCCUPATIONS and any(by_field.values()):
        for field in sorted(by_field):
            if by_field[field] and len(core) < CORE_OCCUPATIONS:
                family = by_field[field].pop(0)
                members = sorted(usable[family], key=lambda o: o.concept)
                rng.shuffle(members)
                take = min(MAX_FAMILY, len(members), CORE_OCCUPATIONS - len(core))
                core += members[:take]
                rest += members[take:]
    for remaining in by_field.values():
        for family in remaining:
            rest += sorted(usable[family], key=lambda o: o.concept)
    rest.sort(key=lambda o: o.concept)
    rng.shuffle(rest)

    def make(o: Occupation) -> Occ:
        field = field_of(o)
        assert field is not None
        family = family_of(o, field)
        own = [s for s in pools[field] if s not in family_skills[family]]
        chosen = family_skills[family] + rng.sample(own, OWN_SKILLS)
        return Occ(o, field, family, tuple(chosen))

    core_occs = [make(o) for o in core]
    return (
        core_occs,
        [make(o) for o in rest[:DISTRACTORS]],
        [make(o) for o in rest[DISTRACTORS : 2 * DISTRACTORS]],
    )


# --- surface forms ---------------------------------------------------------------------------


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    i = max(range(len(words)), key=lambda j: len(words[j]))
    word = words[i]
    if len(word) >= 5:
        k = rng.randrange(1, len(word) - 2)
        words[i] = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    return " ".join(words)


def _title_case(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] if w.islower() else w for w in text.split(" "))


def title(rng: random.Random, occ: Occupation, lang: str, listing: bool) -> str:
    """A job title for ``occ`` in ``lang``, as people write it: any label of the concept
    (the preferred one a third of the time), German labels in one gender form ("X/Xin" ->
    "X" or "Xin"), gender tags on listings, sometimes a seniority word or a typo."""
    labels = occ.labels_de if lang == "de" else occ.labels_en
    label = labels[0] if rng.random() < 1 / 3 or len(labels) == 1 else rng.choice(labels[1:])
    if lang == "de":
        if "/" in label and (not listing or rng.random() < 0.6):
            forms = [f.strip() for f in label.split("/") if f.strip()]
            if len(forms) == 2 and len(forms[1]) > 3:
                label = rng.choice(forms)
        if rng.random() < 0.12:
            label = rng.choice(SENIORITY_DE) + label
        if listing:
            label += rng.choice(DE_SUFFIXES)
    else:
        if rng.random() < 0.5:
            label = _title_case(label)
        if rng.random() < 0.12:
            label = rng.choice(SENIORITY_EN) + label
        if listing:
            label += rng.choice(EN_SUFFIXES)
    if rng.random() < TYPO:
        label = _typo(rng, label)
    return label


def skill_name(rng: random.Random, skill: Skill, lang: str) -> str:
    """A skill's name in ``lang``, or one of its synonyms a fifth of the time."""
    also = [n for n in skill.names[2:] if n not in skill.ambiguous]
    if also and rng.random() < 0.2:
        return rng.choice(also)
    return skill.label(lang)


def city(rng: random.Random, lang: str) -> str:
    de, en = rng.choices(CITIES, CITY_WEIGHTS)[0]
    return de if lang == "de" else en


def _join(names: Sequence[str], lang: str) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (" und " if lang == "de" else " and ") + names[-1]


def _generic(rng: random.Random, n: int) -> list[str]:
    skills = vocabulary().skills
    pool = sorted(k for k, s in skills.items() if s.field in GENERIC)
    return rng.sample(pool, n)


def make_listing(rng: random.Random, job_id: str, occ: Occ) -> dict[str, Any]:
    """One listing of ``occ``: a title, 3 to 5 of its skills, a place, a short description
    naming one or two more of its skills."""
    skills = vocabulary().skills
    lang = rng.choice(("de", "en"))
    own = rng.sample(occ.skills, len(occ.skills))
    listed = own[: rng.randint(3, 5)]
    extra = own[len(listed) : len(listed) + rng.randint(0, 2)] + _generic(rng, 1)
    names = [skill_name(rng, skills[k], lang) for k in listed]
    described = [skill_name(rng, skills[k], lang) for k in extra]
    employer = rng.choice(EMPLOYERS)
    job_title = title(rng, occ.esco, lang, listing=True)
    remote = rng.random() < 0.1
    place = ("Remote" if lang == "en" else "Homeoffice") if remote else city(rng, lang)
    if lang == "de":
        description = (
            f"{employer} sucht zum nächstmöglichen Zeitpunkt Verstärkung für unser Team"
            f" in {place}. Sie bringen Erfahrung in {_join(described, lang)} mit."
        )
    else:
        description = (
            f"{employer} is looking for a new colleague to join our team in {place}."
            f" You bring experience in {_join(described, lang)}."
        )
    return {
        "id": job_id,
        "lang": lang,
        "concept": occ.esco.concept,
        "employer": employer,
        "title": job_title,
        "location": place,
        "skills": names,
        "description": description,
    }


def make_profile(
    rng: random.Random, member: str, occ: Occ, same_field: Sequence[Occ]
) -> dict[str, Any]:
    """One member working as ``occ``: a current position (and, for a quarter, an earlier
    one in another occupation of the field), 3 to 6 of its skills and one or two generic
    ones, preferred places, sometimes a wanted title."""
    skills = vocabulary().skills
    lang = rng.choice(("de", "en"))
    own = rng.sample(occ.skills, rng.randint(3, 6))
    names = [skill_name(rng, skills[k], lang) for k in own + _generic(rng, rng.randint(1, 2))]
    employment = [
        {
            "title": title(rng, occ.esco, lang, listing=False),
            "employer": rng.choice(EMPLOYERS),
            "start": f"{rng.randint(2012, 2022)}-{rng.randint(1, 12):02d}",
            "end": None,
        }
    ]
    others = [o for o in same_field if o.esco.concept != occ.esco.concept]
    if others and rng.random() < 0.25:
        before = rng.choice(others)
        employment.append(
            {
                "title": title(rng, before.esco, lang, listing=False),
                "employer": rng.choice(EMPLOYERS),
                "start": "2008-09",
                "end": "2011-12",
            }
        )
    places = sorted({city(rng, lang) for _ in range(rng.randint(1, 2))})
    wanted = [title(rng, occ.esco, lang, listing=False)] if rng.random() < 0.3 else []
    return {
        "id": member,
        "lang": lang,
        "concept": occ.esco.concept,
        "employment": employment,
        "skills": names,
        "wanted_titles": wanted,
        "locations": places,
        "remote": rng.random() < 0.2,
    }


def generate(seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Profiles, listings and qrels lines (profile, listing, grade)."""
    rng = random.Random(seed)
    core, listing_only, profile_only = choose(rng)
    field_members: dict[str, list[Occ]] = defaultdict(list)
    for o in core + listing_only + profile_only:
        field_members[o.field].append(o)
    listing_occs = [o for o in core for _ in range(PER_CORE)] + listing_only
    profile_occs = [o for o in core for _ in range(PER_CORE)] + profile_only
    rng.shuffle(listing_occs)
    rng.shuffle(profile_occs)
    listings = [make_listing(rng, f"j{i:04d}", o) for i, o in enumerate(listing_occs, 1)]
    profiles = [
        make_profile(rng, f"m{i:04d}", o, field_members[o.field])
        for i, o in enumerate(profile_occs, 1)
    ]
    family = {o.esco.concept: o.family for o in core + listing_only + profile_only}
    qrels = []
    for p in profiles:
        for j in listings:
            if p["concept"] == j["concept"]:
                qrels.append(f"{p['id']}\t{j['id']}\t2")
            elif family[p["concept"]] == family[j["concept"]]:
                qrels.append(f"{p['id']}\t{j['id']}\t1")
    return profiles, listings, qrels


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    profiles, listings, qrels = generate(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(args.out / "profiles.jsonl", profiles)
    _write_jsonl(args.out / "listings.jsonl", listings)
    (args.out / "qrels.tsv").write_text(
        "profile\tlisting\tgrade\n" + "".join(q + "\n" for q in qrels), "utf-8"
    )
    grades = [q.rsplit("\t", 1)[1] for q in qrels]
    print(
        f"{len(profiles)} profiles, {len(listings)} listings, {grades.count('2')} pairs of"
        f" grade 2, {grades.count('1')} of grade 1 -> {args.out}"
    )


if __name__ == "__main__":
    main()
