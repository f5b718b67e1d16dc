"""The consent ledger: append, state as of a watermark, history; verified by ``audit verify``."""

from purposely.consent.ledger import (
    LEDGER,
    ConsentDecision,
    Decision,
    LedgerEntry,
    append,
    append_new,
    history,
    state,
    watermark,
)

__all__ = [
    "LEDGER",
    "ConsentDecision",
    "Decision",
    "LedgerEntry",
    "append",
    "append_new",
    "history",
    "state",
    "watermark",
]
