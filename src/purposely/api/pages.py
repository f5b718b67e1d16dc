"""Server-rendered pages (Jinja2): every page gets its language, its words, the signed-in
account and the form token, so templates never reach for them on their own."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from purposely.access import Session
from purposely.api.auth import csrf_nonce, csrf_token
from purposely.api.language import language
from purposely.api.services import Services
from purposely.api.words import word, words_for_count

_ENV = Environment(
    loader=PackageLoader("purposely.api", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(
    request: Request,
    svc: Services,
    template: str,
    *,
    session: Session | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """``template`` rendered for ``request`` in its language, with a form token."""
    lang = language(request)
    html = _ENV.get_template(template).render(
        lang=lang,
        w=lambda key, **values: word(key, lang, **values),
        wn=lambda key, n: words_for_count(key, n, lang),
        csrf=csrf_token(svc, csrf_nonce(request)),
        session=session,
        path=request.url.path,
        controller=svc.policy.controller.name,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if session is not None:
        # A signed-in page shows personal data: no browser or proxy may keep a copy, so the
        # back button on a shared computer shows nothing after signing out.
        response.headers["Cache-Control"] = "no-store"
    return response


def word_for(request: Request, key: str, **values: object) -> str:
    """The words for ``key`` in ``request``'s language (for messages built in Python)."""
    return word(key, language(request), **values)
