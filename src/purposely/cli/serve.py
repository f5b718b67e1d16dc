"""``purposely serve``: the REST API, the privacy center and the admin view."""

from __future__ import annotations

import gc
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
    gate_processes: Annotated[
        int,
        typer.Option(
            min=0,
            help="Worker processes answering the API's gate questions, so that their CPU "
            "does not hold up other requests (0: a thread of the server).",
        ),
    ] = 2,
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
        gate_processes=gate_processes,
    )
    app = create_app(settings)
    # As main() does after its imports: the application's objects (routes, schemas, the
    # store's metadata) live as long as the server, so a full garbage collection need not
    # scan them again (~0.1 s each, during which no request is answered).
    gc.freeze()
    stderr.print(f"purposely serves {settings.base_url} (API docs: {settings.base_url}/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
