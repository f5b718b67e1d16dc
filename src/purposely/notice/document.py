"""The notice laid out in one language: sections of paragraphs, lists and labelled facts.

One function builds both languages, so the German and the English notice have the same
sections, blocks and items in the same order; only the words differ. Renderers turn a
:class:`Document` into Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from purposely.notice import phrases
from purposely.notice.model import Notice, PurposeNotice, Words
from purposely.notice.text import Text, code, join, literal, say, strong
from purposely.notice.version import version_of
from purposely.policy import LegalBasis
from purposely.taxonomy import Lang

# How many numbers each kind of biometric template holds.
TEMPLATE_SIZE = {"face_descriptor_128": 128}


@dataclass(frozen=True)
class Para:
    """A paragraph."""

    text: Text


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Fact:
    """A label and its value, or several values shown as a list."""

    label: Text
    values: tuple[Text, ...]


@dataclass(frozen=True)
class Facts:
    """Labelled facts, such as a purpose's data, legal basis and retention."""

    facts: tuple[Fact, ...]


Block = Para | Bullets | Facts


@dataclass(frozen=True)
class Section:
    """A heading (level 2 or 3) and what follows it."""

    level: int
    title: Text
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A notice in one language, ready to render."""

    lang: Lang
    version: str
    title: Text
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]

    def texts(self) -> Iterator[Text]:
        """Every text in reading order (for tests and plain-text uses)."""
        yield self.title
        yield from _block_texts(self.intro)
        for section in self.sections:
            yield section.title
            yield from _block_texts(section.blocks)


def layout(notice: Notice, lang: Lang) -> Document:
    """The notice in ``lang``."""
    version = version_of(notice)
    name = notice.controller.name
    intro = (
        Para(say(lang, "intro", controller=name)),
        Para(say(lang, "version", version=code(version))),
    )
    sections = [
        _controller(notice, lang),
        _rules(lang),
        Section(2, say(lang, "purposes.title"), (Para(say(lang, "purposes.intro")),)),
        *(_purpose(notice, p, lang) for p in notice.purposes),
    ]
    if (bio := notice.biometric_purpose) is not None:
        sections.append(_biometric(notice, bio, lang))
    if notice.groups:
        sections.append(_countries(notice, lang))
    sections += [_minors(notice, lang), _kept(notice, lang), _rights(notice, lang)]
    return Document(lang, version, say(lang, "title", controller=name), intro, tuple(sections))


def purpose_sections(notice: Notice, key: str, lang: Lang) -> tuple[Section, ...]:
    """What the notice says about purpose ``key`` in ``lang``, as :func:`layout` lays it out:
    the purpose's own section and, for the purpose that stores biometric templates, the
    section about them. A consent to ``key`` is given against exactly these words."""
    found = next((p for p in notice.purposes if p.key == key), None)
    if found is None:
        raise KeyError(f"the notice has no purpose {key!r}")
    sections = [_purpose(notice, found, lang)]
    if notice.biometric_purpose is found:
        sections.append(_biometric(notice, found, lang))
    return tuple(sections)


def _controller(notice: Notice, lang: Lang) -> Section:
    c = notice.controller
    facts = [
        Fact(say(lang, "controller.name"), (literal(c.name),)),
        Fact(say(lang, "controller.address"), (literal(c.address),)),
        Fact(say(lang, "controller.contact"), (literal(c.contact),)),
    ]
    if c.data_protection_officer:
        facts.append(Fact(say(lang, "controller.dpo"), (literal(c.data_protection_officer),)))
    return Section(2, say(lang, "controller.title"), (Facts(tuple(facts)),))


def _rules(lang: Lang) -> Section:
    rules = ("purposes", "messages", "biometric", "training", "gate")
    return Section(
        2,
        say(lang, "rules.title"),
        (
            Para(say(lang, "rules.intro")),
            Bullets(tuple(say(lang, f"rule.{rule}") for rule in rules)),
        ),
    )


def _purpose(notice: Notice, purpose: PurposeNotice, lang: Lang) -> Section:
    title = say(lang, "purpose.title", label=purpose.purpose.label(lang), key=code(purpose.key))
    description = Para(literal(purpose.purpose.description(lang)))
    return Section(3, title, (description, Facts(_purpose_facts(notice, purpose, lang))))


def _purpose_facts(notice: Notice, purpose: PurposeNotice, lang: Lang) -> tuple[Fact, ...]:
    facts = [
        Fact(say(lang, "fact.data"), tuple(_term(c, lang) for c in purpose.categories)),
    ]
    if excluded := _excluded(notice, purpose, lang):
        facts.append(Fact(say(lang, "fact.not_used"), excluded))
    facts.append(
        Fact(say(lang, "fact.basis"), tuple(phrases.basis_line(lang, b) for b in purpose.bases))
    )
    if purpose.preparation is not None:
        steps = phrases.preparation_steps(lang, purpose.preparation)
        facts.append(Fact(say(lang, "fact.preparation"), tuple(steps)))
    if purpose.release == "dp_aggregates":
        facts.append(Fact(say(lang, "fact.release"), (say(lang, "release.dp_aggregates"),)))
    facts += [
        Fact(say(lang, "fact.recipients"), _recipients(notice, purpose, lang)),
        Fact(say(lang, "fact.retention"), (phrases.retention(lang, purpose),)),
        Fact(say(lang, "fact.say_no"), _say_no(purpose, lang)),
    ]
    return tuple(facts)


def _term(words: Words, lang: Lang) -> Text:
    return say(lang, "term", label=strong(words.label(lang)), description=words.description(lang))


def _excluded(notice: Notice, purpose: PurposeNotice, lang: Lang) -> tuple[Text, ...]:
    found = []
    if purpose.exclude_minors:
        found.append(say(lang, "not_used.minors", age=notice.minimum_age))
    if purpose.excludes_private:
        found.append(say(lang, "not_used.private"))
    return tuple(found)


def _recipients(notice: Notice, purpose: PurposeNotice, lang: Lang) -> tuple[Text, ...]:
    if not purpose.recipients:
        return (say(lang, "recipients.none", controller=notice.controller.name),)
    return tuple(phrases.recipient(lang, r) for r in purpose.recipients)


def _say_no(purpose: PurposeNotice, lang: Lang) -> tuple[Text, ...]:
    lines = []
    if purpose.uses(LegalBasis.CONSENT, LegalBasis.EXPLICIT_CONSENT):
        lines += [
            say(lang, "say_no.grant", command=phrases.command("grant", purpose)),
            say(lang, "say_no.withdraw", command=phrases.command("withdraw", purpose)),
        ]
    if purpose.uses(LegalBasis.LEGITIMATE_INTEREST):
        lines.append(say(lang, "say_no.object", command=phrases.command("object", purpose)))
    return tuple(lines) or (say(lang, "say_no.nothing"),)


def _biometric(notice: Notice, purpose: PurposeNotice, lang: Lang) -> Section:
    bio = purpose.biometric
    assert bio is not None
    size = TEMPLATE_SIZE[bio.template]
    photo = "bio.photo.kept" if bio.photo_kept else "bio.photo.deleted"
    protection = "bio.encrypted" if bio.encrypted else "bio.not_encrypted"
    recipients = (
        say(
            lang,
            "bio.shared_with",
            recipients=join(lang, [r.name_in(lang) for r in purpose.recipients]),
        )
        if purpose.recipients
        else say(lang, "bio.shared_none", controller=notice.controller.name)
    )
    facts = (
        Fact(
            say(lang, "bio.fact.what"),
            (say(lang, f"bio.what.{bio.template}", template=code(bio.template), count=size),),
        ),
        Fact(
            say(lang, "bio.fact.source"),
            (
                say(lang, f"bio.source.{bio.source}", source=code(bio.source)),
                say(lang, photo),
            ),
        ),
        Fact(say(lang, "bio.fact.protection"), (say(lang, protection),)),
        Fact(
            say(lang, "bio.fact.retention"),
            (phrases.retention(lang, purpose), say(lang, "bio.withdraw")),
        ),
        Fact(say(lang, "bio.fact.use"), (say(lang, "bio.use"),)),
        Fact(say(lang, "bio.fact.recipients"), (recipients,)),
    )
    intro = say(lang, "bio.intro", purpose=strong(purpose.purpose.label(lang)))
    return Section(2, say(lang, "bio.title"), (Para(intro), Facts(facts)))


def _countries(notice: Notice, lang: Lang) -> Section:
    groups = tuple(
        say(
            lang,
            "countries.group",
            group=code(group.name),
            countries=join(lang, [phrases.country_name(lang, c) for c in group.countries]),
        )
        for group in notice.groups
    )
    blocks = (Para(say(lang, "countries.intro")), Bullets(groups))
    return Section(2, say(lang, "countries.title"), blocks)


def _minors(notice: Notice, lang: Lang) -> Section:
    excluding = [strong(p.purpose.label(lang)) for p in notice.purposes if p.exclude_minors]
    blocks: list[Block] = [Para(say(lang, "age.minimum", age=notice.minimum_age))]
    if excluding:
        blocks.append(Para(say(lang, "age.excluded_by", purposes=join(lang, excluding))))
        unknown = "age.unknown_minor" if notice.unknown_age_is_minor else "age.unknown_adult"
        blocks.append(Para(say(lang, unknown)))
    else:
        blocks.append(Para(say(lang, "age.excluded_by_none")))
    return Section(2, say(lang, "age.title"), tuple(blocks))


def _kept(notice: Notice, lang: Lang) -> Section:
    items = tuple(_term(w, lang) for w in notice.kept_for_rules)
    return Section(2, say(lang, "kept.title"), (Para(say(lang, "kept.intro")), Bullets(items)))


def _rights(notice: Notice, lang: Lang) -> Section:
    subject = phrases.SUBJECT
    contact = notice.controller.contact
    items = (
        say(lang, "rights.access", command=code(f"purposely subject report {subject}")),
        say(
            lang,
            "rights.export",
            command=code(f"purposely subject export {subject} --out FILE.zip"),
        ),
        say(lang, "rights.erase", command=code(f"purposely subject erase {subject}")),
        say(lang, "rights.rectify", contact=contact),
        say(lang, "rights.say_no"),
        say(lang, "rights.complain"),
    )
    blocks = (
        Para(say(lang, "rights.intro")),
        Bullets(items),
        Para(say(lang, "rights.subject", subject=code(subject))),
    )
    return Section(2, say(lang, "rights.title"), blocks)


def _block_texts(blocks: tuple[Block, ...]) -> Iterator[Text]:
    for block in blocks:
        if isinstance(block, Para):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
        else:
            for fact in block.facts:
                yield fact.label
                yield from fact.values
