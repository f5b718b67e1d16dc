"""Records of processing activities (GDPR Art. 30(1)) as CSV: one row per purpose and category.

Column names are stable keys for tools; the values are in the notice's language, labels next
to the keys they explain.
"""

from __future__ import annotations

import csv
import io

from purposely.notice import phrases
from purposely.notice.model import Notice, PurposeNotice, Words
from purposely.notice.render import plain
from purposely.notice.text import concat
from purposely.notice.version import version_of
from purposely.taxonomy import Lang

COLUMNS = (
    "notice_version",
    "controller",
    "controller_address",
    "controller_contact",
    "data_protection_officer",
    "purpose",
    "purpose_label",
    "purpose_description",
    "data_subjects",
    "data_category",
    "data_category_label",
    "data_category_description",
    "legal_basis",
    "recipients",
    "recipient_countries",
    "retention",
    "safeguards",
)


def ropa_rows(notice: Notice, lang: Lang) -> list[dict[str, str]]:
    """The records of processing, one dict per purpose and category."""
    version = version_of(notice)
    return [
        _row(notice, purpose, category, lang, version)
        for purpose in notice.purposes
        for category in purpose.categories
    ]


def ropa_csv(notice: Notice, lang: Lang) -> str:
    """The records of processing as CSV text (RFC 4180, header row first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(ropa_rows(notice, lang))
    return out.getvalue()


def _row(
    notice: Notice, purpose: PurposeNotice, category: Words, lang: Lang, version: str
) -> dict[str, str]:
    controller = notice.controller
    recipients = [plain(phrases.recipient(lang, r, to_member=False)) for r in purpose.recipients]
    countries = sorted({r.country.code for r in purpose.recipients if r.country is not None})
    return {
        "notice_version": version,
        "controller": controller.name,
        "controller_address": controller.address,
        "controller_contact": controller.contact,
        "data_protection_officer": controller.data_protection_officer or "",
        "purpose": purpose.key,
        "purpose_label": purpose.purpose.label(lang),
        "purpose_description": purpose.purpose.description(lang),
        "data_subjects": plain(phrases.subjects(lang, notice, purpose)),
        "data_category": category.key,
        "data_category_label": category.label(lang),
        "data_category_description": category.description(lang),
        "legal_basis": plain(phrases.basis_summary(lang, purpose)),
        "recipients": "; ".join(recipients),
        "recipient_countries": " ".join(countries),
        "retention": plain(phrases.retention(lang, purpose, to_member=False)),
        "safeguards": plain(concat(phrases.safeguards(lang, notice, purpose), "; ")),
    }
