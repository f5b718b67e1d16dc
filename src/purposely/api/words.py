"""The words of the privacy center and the admin view, in English and German.

Each key maps to (English, German). A test checks that both are given and that they use
the same ``{placeholders}``.
"""

from __future__ import annotations

from purposely.rights.words import Lang

WORDS: dict[str, tuple[str, str]] = {
    "center": ("Privacy center", "Datenschutz-Center"),
    "admin": ("Privacy officer", "Datenschutzbeauftragte"),
    "language": ("Language", "Sprache"),
    "sign_in": ("Sign in", "Anmelden"),
    "sign_out": ("Sign out", "Abmelden"),
    "error": ("Something went wrong", "Etwas ist schiefgegangen"),
    "back": ("Back", "Zurück"),
}


def word(key: str, lang: Lang, **values: object) -> str:
    """The words for ``key`` in ``lang``, with ``values`` filled in."""
    try:
        english, german = WORDS[key]
    except KeyError:
        raise KeyError(f"no words for {key!r} in purposely.api.words") from None
    return (german if lang == "de" else english).format(**values)
