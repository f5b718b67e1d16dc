"""IP addresses, version 4 and 6, validated by the standard library's ``ipaddress``.

Every valid address counts, private and loopback ones too: which ones identify a person
depends on context the redactor does not have. IPv4 needs four dotted numbers standing
alone (``v1.2.3.4`` is a version, so is ``Version 10.0.19045.3803``); IPv6 needs "::" or
six colons or more, a digit, and two non-empty groups, so times (``12:30:45``), MAC
addresses and ``std::vector`` are not taken.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Final

from purposely.redact.recognizer import (
    glued_after,
    glued_before,
    not_personal_number,
    number_runs,
)
from purposely.redact.spans import Entity, Span

_IPV4: Final = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
# The pieces of a run between spaces: "192.0.2.1 2001" holds one address.
_PIECE: Final = re.compile(r"[^ \u00a0]+")
_IPV6: Final = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?"
    r"(?![\w:]|\.\d)"
)


def _valid_ipv6(candidate: str) -> bool:
    """Whether ``candidate`` is an IPv6 address with a digit and two non-empty groups."""
    if not any(c.isdigit() for c in candidate) or sum(1 for g in candidate.split(":") if g) < 2:
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


def _valid_ipv4(candidate: str) -> bool:
    """Whether ``candidate`` is a dotted-quad IPv4 address (no leading zeros)."""
    try:
        ipaddress.IPv4Address(candidate)
    except ValueError:
        return False
    return True


class IpRecognizer:
    """IPv4 and IPv6 addresses."""

    entities: Final = frozenset({Entity.IP})

    def find(self, text: str, lang: str | None) -> list[Span]:
        """Spans of the IP addresses in ``text``."""
        v6: list[Span] = []
        # An IPv6 address has "::" or at least six colons (seven, or six and an IPv4 tail).
        if "::" in text or text.count(":") >= 6:
            v6 = [
                Span(m.start(), m.end(), Entity.IP)
                for m in _IPV6.finditer(text)
                if _valid_ipv6(m[0])
            ]
        v4 = [
            span
            for start, end in number_runs(text)
            if end - start >= 7 and text.count(".", start, end) >= 3
            for span in _ipv4_in_run(text, start, end)
        ]
        # An IPv4 tail of an IPv6 address ("::ffff:192.0.2.128") is part of it.
        return v6 + [a for a in v4 if not any(a.overlaps(b) for b in v6)]


def _ipv4_in_run(text: str, start: int, end: int) -> list[Span]:
    """IPv4 addresses among the space-separated pieces of the run ``text[start:end]``."""
    spans = []
    for piece in _PIECE.finditer(text, start, end):
        lo, hi = piece.span()
        if (
            _IPV4.fullmatch(piece[0])
            and _valid_ipv4(piece[0])
            and not (lo == start and glued_before(text, lo))
            and not (hi == end and glued_after(text, hi))
            and not not_personal_number(text, lo)
        ):
            spans.append(Span(lo, hi, Entity.IP))
    return spans
