"""The policy: which purpose may use which data, on which legal basis, excluding whom."""

from purposely.policy.loader import default_policy_text, load_policy, parse_policy
from purposely.policy.model import BasisTable, LegalBasis, Policy, Preparation, PurposeRule

__all__ = [
    "BasisTable",
    "LegalBasis",
    "Policy",
    "Preparation",
    "PurposeRule",
    "default_policy_text",
    "load_policy",
    "parse_policy",
]
