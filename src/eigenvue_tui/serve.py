"""``--serve``: the app in a web browser through textual-serve, one app per visitor.

textual-serve ships its JavaScript and fonts, but its page also links a web
font from a CDN; here that link is dropped for the bundled font, so the page
needs nothing but this server (a classroom without internet works). The page
builds its websocket address from the address the visitor used, so
``--host 0.0.0.0`` works for other machines too.
"""

from __future__ import annotations

import atexit
import re
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Any

import textual_serve
from aiohttp import web
from textual_serve.server import Server  # ImportError without the [web] extra

CDN_LINK = re.compile(r"<link\b[^>]*fonts\.googleapis\.com[^>]*>\s*", re.DOTALL)
BUNDLED_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf");
      }
    </style>
"""


def offline_templates() -> Path:
    """textual-serve's page template without the CDN font link (a temporary folder)."""
    page = Path(textual_serve.__file__).parent / "templates" / "app_index.html"
    text = CDN_LINK.sub(BUNDLED_FONT, page.read_text(encoding="utf-8"), count=1)
    folder = Path(tempfile.mkdtemp(prefix="eigenvue-serve-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    (folder / "app_index.html").write_text(text, encoding="utf-8")
    return folder


class OfflineServer(Server):
    """textual-serve's server with the offline page."""

    def __init__(self, command: str, host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title="eigenvue-tui",
                         templates_path=offline_templates())

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"eigenvue-tui: serving {self.command}", highlight=False)
        self.console.print(f"open http://{self.host}:{self.port}/ (Ctrl+C stops)",
                           highlight=False)

    async def handle_index(self, request: web.Request) -> Any:
        # The page's websocket and static addresses: the host the visitor asked for.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)


def run_server(command: str, host: str, port: int) -> int:
    """Serve until Ctrl+C (or SIGTERM); 2 with one line when the port cannot be had."""
    from .share_cli import ShareError

    try:  # before the server says it is serving
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        raise ShareError(f"--serve on {host}:{port}: {error.strerror or error}") from None
    server = OfflineServer(command, host, port)
    try:
        server.serve()
    except OSError as error:
        raise ShareError(f"--serve on {host}:{port}: {error.strerror or error}") from None
    return 0
