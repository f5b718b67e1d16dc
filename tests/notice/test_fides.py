"""The data map as a Fides manifest, validated by fideslang's own models."""

from __future__ import annotations

from typing import Any

from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import Organization, System, Taxonomy
from fideslang.relationships import get_referenced_missing_keys
from ruamel.yaml import YAML

from purposely.notice import build_notice, fides_manifest, fides_yaml, notice_version
from purposely.notice.fides import organization_key
from purposely.policy import Policy
from purposely.taxonomy import TERMS
from tests.notice.policies import edited


def manifest(policy: Policy) -> dict[str, Any]:
    """The manifest as a reader gets it: written as YAML and read back."""
    loaded: dict[str, Any] = YAML(typ="safe").load(fides_yaml(fides_manifest(build_notice(policy))))
    return loaded


def test_the_manifest_validates_with_fideslang(policy: Policy) -> None:
    doc = manifest(policy)
    taxonomy = Taxonomy.model_validate(doc)
    (system,) = taxonomy.system
    assert System.model_validate(doc["system"][0]) == system
    (org,) = taxonomy.organization
    assert Organization.model_validate(doc["organization"][0]) == org
    assert org.controller is not None and org.controller.name == policy.controller.name


def test_every_key_it_uses_is_fideslang_or_declared_in_it(policy: Policy) -> None:
    ours = Taxonomy.model_validate(manifest(policy))
    merged = Taxonomy(
        data_category=[*DEFAULT_TAXONOMY.data_category, *ours.data_category],
        data_use=[*DEFAULT_TAXONOMY.data_use, *ours.data_use],
        data_subject=[*DEFAULT_TAXONOMY.data_subject, *ours.data_subject],
        organization=[*DEFAULT_TAXONOMY.organization, *ours.organization],
        dataset=ours.dataset,
        system=ours.system,
    )
    assert get_referenced_missing_keys(merged) == set()


def test_extensions_are_declared_under_their_fideslang_parent(policy: Policy) -> None:
    ours = Taxonomy.model_validate(manifest(policy))
    fides_keys = {c.fides_key for c in DEFAULT_TAXONOMY.data_category} | {
        u.fides_key for u in DEFAULT_TAXONOMY.data_use
    }
    declared = {c.fides_key for c in ours.data_category} | {u.fides_key for u in ours.data_use}
    assert declared == {key for key, term in TERMS.items() if term.extends_fideslang}
    assert not declared & fides_keys
    for entry in [*ours.data_category, *ours.data_use]:
        assert entry.parent_key in fides_keys | declared and not entry.is_default


def test_every_purpose_and_category_is_declared(policy: Policy) -> None:
    (system,) = Taxonomy.model_validate(manifest(policy)).system
    declarations = {d.data_use: d for d in system.privacy_declarations}
    assert set(declarations) == set(policy.purposes)
    for purpose, rule in policy.purposes.items():
        assert declarations[purpose].data_categories == rule.categories
        assert declarations[purpose].data_subjects == ["platform_member"]
    assert system.meta is not None
    assert system.meta["purposely"]["notice_version"] == notice_version(policy)


def test_declarations_carry_basis_retention_sharing_and_special_data(policy: Policy) -> None:
    (system,) = Taxonomy.model_validate(manifest(policy)).system
    by_use = {d.data_use: d for d in system.privacy_declarations}
    training = by_use["train_ai_system"]
    assert training.legal_basis_for_processing == "Consent"
    assert training.flexible_legal_basis_for_processing
    assert training.retention_period == "At most 2 years."
    identity = by_use["essential.service.security.identity_verification"]
    assert identity.processes_special_category_data
    assert identity.special_category_legal_basis == "Explicit consent"
    sharing = by_use["third_party_sharing"]
    assert sharing.data_shared_with_third_parties and sharing.third_parties
    assert "differentially private" in sharing.third_parties
    assert not by_use["personalize.job_recommendations"].data_shared_with_third_parties


def test_the_dataset_maps_stored_fields_to_categories(policy: Policy) -> None:
    (dataset,) = Taxonomy.model_validate(manifest(policy)).dataset
    fields = {
        (collection.name, field.name): field.data_categories
        for collection in dataset.collections
        for field in collection.fields
    }
    assert fields[("subjects", "country")] == ["user.contact.address.country"]
    assert fields[("subjects", "birth_date")] == ["user.demographic.date_of_birth"]
    record_categories = fields[("records", "text")] or []
    assert "user.content.private.message" in record_categories
    assert "user.biometric.face" in record_categories


def test_organization_key_is_a_valid_fides_key() -> None:
    assert organization_key("Müller & Söhne GmbH") == "muller_sohne_gmbh"
    assert organization_key("!!!") == "controller"
    policy = edited("name: Example Social Network GmbH", "name: Beispiel Netzwerk AG")
    (org,) = Taxonomy.model_validate(manifest(policy)).organization
    assert org.fides_key == "beispiel_netzwerk_ag"
