"""Field values shared by the importers: partial dates, ages, countries, post visibility."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pycountry

from purposely.taxonomy import PRIVATE_CONTENT, PUBLIC_CONTENT

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_AGE = re.compile(r"^\s*(\d{1,3})\s*(?:(?:-|\u2013|to)\s*(\d{1,3})|\+)?\s*$")


def parse_partial_date(value: str) -> date:
    """The *latest* day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` value can mean.

    Raises ``ValueError`` with a message fit for the user if it is none of those.
    """
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31)
        if day is None:
            return date(year, month, calendar.monthrange(year, month)[1])
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (no such day)") from None


def minimum_age(value: str) -> int:
    """The lowest age an age or age range (``"25"``, ``"13-54"``, ``"65+"``) allows."""
    match = _AGE.match(value)
    if match is None:
        raise ValueError(f"not an age or age range: {value!r} (use 25, 18-24 or 65+)")
    return int(match.group(1))


def born_no_later_than(min_age: int, observed: date) -> date:
    """The latest birth date of someone at least ``min_age`` years old on ``observed``."""
    try:
        return observed.replace(year=observed.year - min_age)
    except ValueError:  # 29 February
        return observed.replace(year=observed.year - min_age, day=28)


def check_country(code: str) -> str:
    """``code`` if it is an ISO 3166-1 alpha-2 country code, else ``ValueError``."""
    if len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None:
        return code
    raise ValueError(f"unknown country code {code!r} (use ISO 3166-1 alpha-2, such as DE or US)")


def post_category(public: bool) -> str:
    """A post's data category follows its visibility (DESIGN.md section 2)."""
    return PUBLIC_CONTENT if public else PRIVATE_CONTENT
