"""``purposely serve``: the REST API, the privacy center and the admin view."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from purposely.cli.common import DbOption, PolicyOption, stderr


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    snapshots: Annotated[
        Path, typer.Option(help="Folder for dataset builds started over the API.")
    ] = Path("snapshots"),
    base_url: Annotated[
        str | None,
        typer.Option(help="The public address, for links (default: http://HOST:PORT)."),
    ] = None,
    secure_cookies: Annotated[
        bool, typer.Option(help="Mark cookies Secure: set it when served over HTTPS.")
    ] = False,
    db: DbOption = None,
    policy: PolicyOption = None,
) -> None:
    """Serve the REST API (/api/v1, docs at /docs), the privacy center (/) and /admin."""
    import uvicorn

    from purposely.api import Settings, create_app

    settings = Settings(
        db=db,
        policy=policy,
        snapshots=snapshots,
        base_url=base_url or f"http://{host}:{port}",
        secure_cookies=secure_cookies,
    )
    app = create_app(settings)
    stderr.print(f"purposely serves {settings.base_url} (API docs: {settings.base_url}/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
