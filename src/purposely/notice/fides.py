"""The data map as a Fides manifest (fideslang 3.x): organization, system, dataset, taxonomy.

The manifest has fideslang's ``Taxonomy`` shape (``organization:``, ``system:``, ...), as
``fides push`` reads it. Our taxonomy extensions (``extends_fideslang``) are declared as
custom ``data_category`` and ``data_use`` entries under their fideslang parent, so every key
the manifest uses is either in fideslang's default taxonomy or in the manifest itself.
Built as plain data: fideslang is only needed to validate it (a test does).
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

from ruamel.yaml import YAML

from purposely.notice import phrases
from purposely.notice.datamap import MappedField, record_fields, subject_fields
from purposely.notice.model import Notice, PurposeNotice
from purposely.notice.render import plain
from purposely.notice.version import version_of
from purposely.policy import LegalBasis
from purposely.taxonomy import BIOMETRIC, TERMS, Kind, Term, covers, label

SYSTEM_KEY = "purposely"
DATASET_KEY = "purposely_store"
# fideslang's data subjects describe employees, customers, patients...; none is the member of
# a social network, so we declare one.
SUBJECT_KEY = "platform_member"
# The rights a member exercises through purposely (notice, report, export, erase, consent).
SUBJECT_RIGHTS = ("Informed", "Access", "Erasure", "Portability", "Withdraw Consent", "Object")

_ART6 = {
    LegalBasis.LEGITIMATE_INTEREST: "Legitimate interests",
    LegalBasis.CONSENT: "Consent",
    LegalBasis.EXPLICIT_CONSENT: "Consent",
}


def fides_manifest(notice: Notice) -> dict[str, Any]:
    """The data map and the policy's purposes as one fideslang ``Taxonomy`` document."""
    org = organization_key(notice.controller.name)
    return {
        "organization": [_organization(notice, org)],
        "data_category": [_extension(t, org) for t in _extensions(Kind.CATEGORY)],
        "data_use": [_extension(t, org) for t in _extensions(Kind.PURPOSE)],
        "data_subject": [_subject(org)],
        "dataset": [_dataset(org)],
        "system": [_system(notice, org)],
    }


def fides_yaml(manifest: dict[str, Any]) -> str:
    """``manifest`` as a YAML manifest file."""
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.allow_unicode = True
    yaml.width = 100
    out = io.StringIO()
    yaml.dump(manifest, out)
    return out.getvalue()


def organization_key(name: str) -> str:
    """A fides key from the controller's name: ``Müller GmbH`` -> ``muller_gmbh``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "controller"


def _organization(notice: Notice, org: str) -> dict[str, Any]:
    c = notice.controller
    found: dict[str, Any] = {
        "fides_key": org,
        "organization_fides_key": org,
        "name": c.name,
        "description": "The controller named in the privacy notice.",
        "controller": {"name": c.name, "address": c.address, "email": c.contact},
    }
    if c.data_protection_officer:
        found["data_protection_officer"] = {"email": c.data_protection_officer}
    return found


def _extensions(kind: Kind) -> list[Term]:
    return [t for t in TERMS.values() if t.kind is kind and t.extends_fideslang]


def _extension(term: Term, org: str) -> dict[str, Any]:
    return {
        "fides_key": term.key,
        "organization_fides_key": org,
        "name": term.label_en,
        "description": term.description_en,
        "parent_key": term.key.rpartition(".")[0] or None,
        "is_default": False,
    }


def _subject(org: str) -> dict[str, Any]:
    return {
        "fides_key": SUBJECT_KEY,
        "organization_fides_key": org,
        "name": "Platform member",
        "description": "A member of the social network whose data the platform holds.",
        "is_default": False,
        "rights": {"strategy": "INCLUDE", "values": list(SUBJECT_RIGHTS)},
    }


def _dataset(org: str) -> dict[str, Any]:
    return {
        "fides_key": DATASET_KEY,
        "organization_fides_key": org,
        "name": "purposely store",
        "description": "Members and their records; each record carries its data category, "
        "and the gate releases records only by purpose.",
        "data_subjects": [SUBJECT_KEY],
        "collections": [
            _collection("subjects", "One row per member.", subject_fields()),
            _collection(
                "records", "One item of personal data per row, of one category.", record_fields()
            ),
        ],
    }


def _collection(name: str, description: str, fields: list[MappedField]) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "fields": [
            {
                "name": f.column,
                "description": _describe(f),
                "data_categories": list(f.categories),
            }
            for f in fields
        ],
    }


def _describe(field: MappedField) -> str:
    if len(field.categories) == 1:
        return label(field.categories[0])
    return "Personal data of the category named in the row's `category` column."


def _system(notice: Notice, org: str) -> dict[str, Any]:
    c = notice.controller
    return {
        "fides_key": SYSTEM_KEY,
        "organization_fides_key": org,
        "name": "purposely",
        "description": "Personal-data platform of the social network: every use of personal "
        "data asks one gate, which answers from the policy, the data map and the consent "
        "ledger.",
        "system_type": "Application",
        "privacy_declarations": [_declaration(p) for p in notice.purposes],
        "dataset_references": [DATASET_KEY],
        "processes_personal_data": True,
        "responsibility": ["Controller"],
        "legal_name": c.name,
        "legal_address": c.address,
        "dpo": c.data_protection_officer,
        # Recipients name a country only when it matters; one that does is a possible
        # transfer, to be reviewed.
        "does_international_transfers": any(
            r.country is not None for p in notice.purposes for r in p.recipients
        ),
        "data_security_practices": "; ".join(plain(t) for t in phrases.common_safeguards("en")),
        "meta": {
            "purposely": {
                "notice_version": version_of(notice),
                "legal_basis": {p.key: _bases(p) for p in notice.purposes},
            }
        },
    }


def _declaration(purpose: PurposeNotice) -> dict[str, Any]:
    categories = [c.key for c in purpose.categories]
    special = any(covers(BIOMETRIC, c) or covers(c, BIOMETRIC) for c in categories)
    recipients = [plain(phrases.recipient("en", r, to_member=False)) for r in purpose.recipients]
    return {
        "name": purpose.purpose.label_en,
        "data_use": purpose.key,
        "data_categories": categories,
        "data_subjects": [SUBJECT_KEY],
        "dataset_references": [DATASET_KEY],
        "legal_basis_for_processing": _art6(purpose),
        # The basis differs by country; the notice and meta.purposely.legal_basis say where.
        "flexible_legal_basis_for_processing": len({b.basis for b in purpose.bases}) > 1,
        "retention_period": plain(phrases.retention("en", purpose, to_member=False)),
        "processes_special_category_data": special,
        "special_category_legal_basis": "Explicit consent"
        if special and purpose.needs_explicit_consent
        else None,
        "data_shared_with_third_parties": bool(recipients),
        "third_parties": "; ".join(recipients) or None,
        "shared_categories": categories if recipients else [],
    }


def _art6(purpose: PurposeNotice) -> str | None:
    """The GDPR Art. 6 basis fides records: the strictest one the purpose rests on anywhere,
    which is also what a member of unknown country gets."""
    usable = [b.basis for b in purpose.bases if b.basis in _ART6]
    if not usable:
        return None
    return _ART6[max(usable, key=lambda b: b.strictness)]


def _bases(purpose: PurposeNotice) -> list[dict[str, str]]:
    return [
        {
            "where": line.group or (line.country.code if line.country else line.scope),
            "basis": line.basis.value,
        }
        for line in purpose.bases
    ]
