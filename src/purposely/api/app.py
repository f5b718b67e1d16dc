"""The FastAPI application behind ``purposely serve``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException

from purposely import __version__
from purposely.access import Role
from purposely.api import admin, center, rest
from purposely.api.auth import CSRF_COOKIE, SignInLimiter, SignInRequiredError
from purposely.api.language import LANG_COOKIE, LANGS
from purposely.api.pages import render
from purposely.api.services import Services
from purposely.api.settings import Settings
from purposely.errors import PurposelyError, UnknownPurposeError, UnknownSubjectError

API_PREFIX = "/api/"
DESCRIPTION = (
    "Every use of personal data asks one gate. This API lets the platform's services push "
    "events, record consent decisions, ask the gate for a purpose and start dataset builds, "
    "each with a token scoped to purposes and operations (`purposely token create`)."
)
# Pages may only load what they bring themselves; nobody may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(settings: Settings | None = None, *, svc: Services | None = None) -> FastAPI:
    """The application for ``settings`` (or for already opened ``svc``)."""
    svc = svc or Services.open(settings or Settings())
    app = FastAPI(title="purposely", version=__version__, description=DESCRIPTION)
    app.state.services = svc
    app.state.sign_in_limiter = SignInLimiter()
    app.include_router(rest.router)
    app.include_router(center.router)
    app.include_router(admin.router)
    _handle_errors(app, svc)
    _add_cookies_and_headers(app, svc)
    return app


# The API's own documentation pages (Swagger UI, ReDoc) load their scripts from a CDN: they
# get neither the pages' content security policy nor their HTML error pages.
API_DOCS = ("/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path in API_DOCS


def _handle_errors(app: FastAPI, svc: Services) -> None:
    @app.exception_handler(SignInRequiredError)
    async def sign_in_first(request: Request, exc: SignInRequiredError) -> Response:
        where = "/admin/signin" if exc.role is Role.OFFICER else "/signin"
        return RedirectResponse(f"{where}?next={request.url.path}", status_code=303)

    @app.exception_handler(PurposelyError)
    async def refused(request: Request, exc: PurposelyError) -> Response:
        status = 404 if isinstance(exc, UnknownPurposeError | UnknownSubjectError) else 400
        return _problem(request, svc, status, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = _problem(request, svc, exc.status_code, str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response


def _problem(request: Request, svc: Services, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(
        request, svc, "error.html.j2", status_code=status, message=message, back=_back(request)
    )


def _back(request: Request) -> str:
    """Where an error page's Back link goes: the referring page if it is on this site (its
    path only), else the start page. A link to another site from the privacy center would
    lend that site the center's credibility."""
    referer = urlsplit(request.headers.get("referer") or "/")
    same_site = not referer.scheme or (
        referer.scheme == request.url.scheme and referer.netloc == request.url.netloc
    )
    path = referer.path
    if not same_site or (not referer.scheme and referer.netloc):
        return "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path if path.isprintable() else "/"


def _add_cookies_and_headers(app: FastAPI, svc: Services) -> None:
    secure = svc.settings.secure_cookies

    @app.middleware("http")
    async def cookies_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if _is_api(request):
            return response
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        nonce = getattr(request.state, "csrf_nonce", None)
        if nonce and not request.cookies.get(CSRF_COOKIE):
            response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="strict", secure=secure)
        chosen = request.query_params.get("lang")
        if chosen in LANGS:
            response.set_cookie(
                LANG_COOKIE, chosen, max_age=365 * 86400, samesite="lax", secure=secure
            )
        return response
