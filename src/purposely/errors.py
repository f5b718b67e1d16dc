"""Errors a user can act on.

Every error raised for bad input or a refusal is a ``PurposelyError``: the CLI
prints its message as one line on stderr and exits with code 2. Anything else
is a bug and exits with code 1.
"""

from __future__ import annotations


class PurposelyError(Exception):
    """Bad input or a refusal: the message says what and where, and how to fix it."""

    exit_code = 2


class UnknownPurposeError(PurposelyError):
    """A purpose that the policy does not declare."""


class UnknownSubjectError(PurposelyError):
    """A subject id or @handle that the store does not hold."""


class PolicyError(PurposelyError):
    """The policy file is broken; ``problems`` holds every ``file:line: message``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0] if problems else "invalid policy"
        more = (
            f" (and {len(problems) - 1} more; run `purposely policy check`)"
            if len(problems) > 1
            else ""
        )
        super().__init__(first + more)


class InputError(PurposelyError):
    """A file to import is malformed: the message names file, line or record."""


class StoreNotReadyError(PurposelyError):
    """The database has no schema, or an older one."""


class ChainBrokenError(PurposelyError):
    """A hash chain (consent ledger or audit log) does not verify."""
