"""The redactor: runs recognisers, resolves their overlaps, substitutes typed placeholders.

    redactor = Redactor()                     # the default recognisers, built once
    redactor.redact("Ruf mich an: 0171 1234567", lang="de").text
    # 'Ruf mich an: <PHONE>'

Build one `Redactor` and reuse it: the recognisers compile their patterns at import and
keep no state between calls, so one instance serves any number of texts (and threads).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from purposely.redact.address import AddressRecognizer
from purposely.redact.contact import EmailRecognizer, PhoneRecognizer
from purposely.redact.finance import CardRecognizer, IbanRecognizer
from purposely.redact.identifiers import GermanIdRecognizer
from purposely.redact.network import IpRecognizer
from purposely.redact.recognizer import Recognizer
from purposely.redact.spans import Entity, Span, resolve


@dataclass(frozen=True, slots=True)
class Redaction:
    """A redacted text and how many spans of each entity type were replaced in it."""

    text: str
    counts: dict[Entity, int] = field(default_factory=dict)


def default_recognizers() -> tuple[Recognizer, ...]:
    """The built-in recognisers: every entity type except `Entity.PERSON` (no name model)."""
    return (
        EmailRecognizer(),
        IbanRecognizer(),
        CardRecognizer(),
        GermanIdRecognizer(),
        IpRecognizer(),
        PhoneRecognizer(),
        AddressRecognizer(),
    )


class Redactor:
    """Finds personal data with its recognisers and replaces it with typed placeholders.

    ``recognizers`` replaces the default set (pass ``[*default_recognizers(), mine]`` to
    add one); ``placeholders`` overrides the text put in for an entity type.
    """

    def __init__(
        self,
        recognizers: Iterable[Recognizer] | None = None,
        placeholders: Mapping[Entity, str] | None = None,
    ) -> None:
        self._recognizers = tuple(default_recognizers() if recognizers is None else recognizers)
        self._placeholders = {entity: entity.placeholder for entity in Entity}
        self._placeholders.update(placeholders or {})

    @property
    def recognizers(self) -> tuple[Recognizer, ...]:
        """The recognisers this redactor runs, in order."""
        return self._recognizers

    def analyze(self, text: str, lang: str | None = None) -> list[Span]:
        """The personal data in ``text``: sorted, non-overlapping spans.

        Overlapping findings merge into one span over all their characters, typed by the
        longest (then the most specific) of them; see `purposely.redact.spans.resolve`.
        """
        found: list[Span] = []
        for recognizer in self._recognizers:
            found.extend(recognizer.find(text, lang))
        return resolve(found) if len(found) > 1 else found

    def redact(self, text: str, lang: str | None = None) -> Redaction:
        """``text`` with each span of `analyze` replaced by its entity's placeholder."""
        spans = self.analyze(text, lang)
        if not spans:
            return Redaction(text, {})
        parts: list[str] = []
        counts: dict[Entity, int] = {}
        position = 0
        for span in spans:
            parts.append(text[position : span.start])
            parts.append(self._placeholders[span.entity])
            counts[span.entity] = counts.get(span.entity, 0) + 1
            position = span.end
        parts.append(text[position:])
        return Redaction("".join(parts), counts)
