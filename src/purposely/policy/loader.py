"""Load a policy file and report every problem with ``file:line``.

YAML is read with ruamel.yaml's round-trip loader because it keeps the line of every key
and item; pydantic's error locations and our own semantic checks are then mapped back to
those lines, so a user sees all problems at once, each where it is.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from purposely.errors import PolicyError
from purposely.policy.hard_rules import (
    biometric_violation,
    policy_violation,
    purpose_violation,
)
from purposely.policy.model import DEFAULT_JURISDICTION, Policy
from purposely.taxonomy import CATEGORIES, PURPOSES

Loc = tuple[str | int, ...]

DEFAULT_POLICY_NAME = "default_policy.yaml"


def default_policy_text() -> str:
    """The policy shipped in the package, as text."""
    return resources.files("purposely.policy").joinpath(DEFAULT_POLICY_NAME).read_text("utf-8")


def load_policy(path: Path | None = None) -> Policy:
    """Load and validate the policy at ``path`` (the shipped default if None).

    Raises :class:`PolicyError` listing every problem as ``file:line: message``.
    """
    if path is None:
        text, name = default_policy_text(), f"<package>/{DEFAULT_POLICY_NAME}"
    else:
        try:
            text, name = path.read_text("utf-8"), str(path)
        except OSError as exc:
            raise PolicyError([f"{path}: cannot read policy file: {exc.strerror}"]) from None
        except UnicodeDecodeError:
            raise PolicyError([f"{path}: not a UTF-8 text file"]) from None
    policy, problems = parse_policy(text, name)
    if problems or policy is None:
        raise PolicyError(problems)
    return policy


def parse_policy(text: str, name: str) -> tuple[Policy | None, list[str]]:
    """Parse policy ``text``; return the policy (None if broken) and all problems found."""
    try:
        doc = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, [f"{name}:{line}: not valid YAML: {exc.problem or exc.context}"]
    except YAMLError as exc:
        return None, [f"{name}:1: not valid YAML: {exc}"]
    if not isinstance(doc, CommentedMap):
        return None, [
            f"{name}:1: a policy is a mapping with `purposes:`; found {type(doc).__name__}"
        ]

    raw = _plain(doc)
    problems = semantic_problems(raw)
    try:
        policy = Policy.model_validate(raw)
    except ValidationError as exc:
        problems += [(tuple(err["loc"]), _pydantic_message(err)) for err in exc.errors()]
        return None, _format(doc, name, problems)
    if problems:
        return None, _format(doc, name, problems)
    return policy, []


def semantic_problems(raw: dict[str, Any]) -> list[tuple[Loc, str]]:
    """What pydantic cannot see: unknown keys, countries, and hard-rule violations.

    Works on the raw document, skipping parts of the wrong shape (pydantic reports those),
    so that one run reports every problem.
    """
    groups = raw.get("jurisdictions")
    groups = groups if isinstance(groups, dict) else {}
    problems = _jurisdiction_problems(groups)
    purposes = raw.get("purposes")
    for purpose, rule in (purposes if isinstance(purposes, dict) else {}).items():
        problems += _purpose_problems(purpose, rule, groups)
    return problems


def _jurisdiction_problems(groups: dict[str, Any]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for group, countries in groups.items():
        if group == DEFAULT_JURISDICTION:
            problems.append((("jurisdictions", group), "`default` is reserved, pick another name"))
        for i, code in enumerate(countries if isinstance(countries, list) else []):
            if isinstance(code, str) and not _is_country(code):
                problems.append((("jurisdictions", group, i), _unknown_country(code)))
    return problems


def _purpose_problems(purpose: str, rule: Any, groups: dict[str, Any]) -> list[tuple[Loc, str]]:
    here: Loc = ("purposes", purpose)
    problems: list[tuple[Loc, str]] = []
    if purpose not in PURPOSES:
        problems.append((here, f"unknown purpose {purpose!r}: {_known(PURPOSES)}"))
    if not isinstance(rule, dict):
        return problems
    exclude_minors = rule.get("exclude_minors", False)
    if isinstance(exclude_minors, bool) and (why := purpose_violation(purpose, exclude_minors)):
        problems.append(((*here, "exclude_minors"), why))
    biometric = rule.get("biometric")
    biometric = biometric if isinstance(biometric, dict) or biometric is None else {}
    if why := biometric_violation(purpose, biometric, rule.get("retention")):
        where = "biometric" if "biometric" in rule else "categories"
        problems.append(((*here, where), why))
    recipients = rule.get("recipients")
    for i, recipient in enumerate(recipients if isinstance(recipients, list) else []):
        country = recipient.get("country") if isinstance(recipient, dict) else None
        if isinstance(country, str) and not _is_country(country):
            problems.append(((*here, "recipients", i, "country"), _unknown_country(country)))
    categories = rule.get("categories")
    for i, category in enumerate(categories if isinstance(categories, list) else []):
        at = (*here, "categories", i)
        if not isinstance(category, str):
            continue
        if category not in CATEGORIES:
            problems.append((at, f"unknown data category {category!r}: {_known(CATEGORIES)}"))
        elif (why := policy_violation(purpose, category)) is not None:
            problems.append((at, why))
    bases = rule.get("legal_basis")
    if not isinstance(bases, dict):
        return problems
    for key in bases:
        if not (key == DEFAULT_JURISDICTION or key in groups or _is_country(key)):
            problems.append(((*here, "legal_basis", key), _unknown_jurisdiction(key, groups)))
    if DEFAULT_JURISDICTION not in bases:
        problems.append(
            ((*here, "legal_basis"), "needs a `default:` basis for countries not listed")
        )
    return problems


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def _unknown_country(code: str) -> str:
    return f"unknown country code {code!r}: use ISO 3166-1 alpha-2, such as DE, FR or US"


def _unknown_jurisdiction(key: str, groups: dict[str, Any]) -> str:
    names = ", ".join(sorted(groups)) or "none declared"
    return (
        f"unknown jurisdiction {key!r}: use `default`, an ISO 3166-1 alpha-2 country code, "
        f"or a group under `jurisdictions:` ({names})"
    )


def _known(keys: frozenset[str]) -> str:
    return "known keys are " + ", ".join(sorted(keys))


def _pydantic_message(err: Any) -> str:
    msg = str(err["msg"])
    if err["type"] == "extra_forbidden":
        return f"unknown setting {err['loc'][-1]!r}"
    if err["type"] == "enum":
        return f"unknown legal basis {err['input']!r}: {msg.split(': ', 1)[-1]}"
    if err["type"] == "missing":
        return f"missing required setting {err['loc'][-1]!r}"
    return msg


def _format(doc: CommentedMap, name: str, problems: list[tuple[Loc, str]]) -> list[str]:
    located = sorted(((_line_of(doc, loc), _dotted(loc), msg) for loc, msg in problems))
    return [
        f"{name}:{line}: {where}: {msg}" if where else f"{name}:{line}: {msg}"
        for line, where, msg in located
    ]


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(doc: CommentedMap, loc: Loc) -> int:
    """1-based line of the deepest node of ``loc`` that exists in the document."""
    node: Any = doc
    line = 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _plain(node: Any) -> Any:
    """ruamel's commented containers and scalars, as plain Python values."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)
