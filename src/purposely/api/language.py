"""Which language a page speaks: the member's switch (a cookie) first, then the browser's
``Accept-Language``, then English."""

from __future__ import annotations

from fastapi import Request

from purposely.rights.words import Lang

LANG_COOKIE = "purposely_lang"
LANGS: tuple[Lang, ...] = ("en", "de")


def language(request: Request) -> Lang:
    """The language for ``request``'s page."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGS:
        return chosen
    return from_accept_language(request.headers.get("accept-language", ""))


def from_accept_language(header: str) -> Lang:
    """The best of German and English for an ``Accept-Language`` header (RFC 9110 q-values)."""
    best: tuple[float, Lang] = (0.0, "en")
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                continue
        # Earlier entries win ties, as the header lists them in the browser's order.
        score = weight - position * 1e-6
        if score > best[0]:
            best = (score, primary)
    return best[1]
