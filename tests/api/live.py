"""A real ``purposely serve`` on a free port of 127.0.0.1, for tests and tools that drive a
browser (Playwright) rather than FastAPI's in-process test client.

The server runs uvicorn in a background thread of this process, so a test can still reach
the same store directly (build a dataset, read the ledger) while a browser clicks through
the pages. Only loopback addresses are used.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

# Debian's Chromium; PURPOSELY_CHROMIUM names another build (any Chromium Playwright can drive).
CHROMIUM = Path(os.environ.get("PURPOSELY_CHROMIUM", "/usr/bin/chromium"))


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None if Debian's Chromium is installed."""
    if not CHROMIUM.exists():
        return (
            f"Chromium is not installed at {CHROMIUM}: `make browser` installs it "
            "(apt-get install chromium); `playwright install` cannot download browsers here"
        )
    return None


@contextmanager
def live_server(
    make_app: Callable[[str], FastAPI], *, startup_timeout: float = 20.0
) -> Iterator[str]:
    """Serve ``make_app(base_url)`` on a free loopback port while the block runs; yield the
    base URL. The app is made once the port is known, so its settings can name its address
    (invitation links, the referer check of error pages)."""
    # Binding the socket here (port 0) avoids the race of picking a port and binding later.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = make_app(base_url)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
