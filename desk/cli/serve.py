"""``desk serve``: desk in a web browser, for a workstation with no terminal (issue 14).

textual-serve runs desk unchanged: every browser connection starts its own ``desk`` process
(:func:`served_command`) and shows it in an xterm.js terminal. Those processes share nothing
but the database, as several terminals do, so the command carries this invocation's database
(``--db`` with the file's absolute path; a PostgreSQL ``DESK_DATABASE_URL`` is inherited from
the environment rather than put on a command line other users can read) and its language.

Each browser is a workstation of its own, as each terminal machine is: a cookie names it, and
its desks get a user folder of their own (:func:`workstation_home`), so who was last at its
keyboard and what it typed and has not saved stay with it and never open in another
browser's tab. Only for a SQLite file: with a ``DESK_DATABASE_URL`` the config is read from the
user folder, which all tabs then share.

Served on 127.0.0.1 by default. Any other address lets the network drive desk, so it needs
``[serve] secret`` in desk.toml: a browser opens ``/?key=SECRET`` once and keeps a cookie
(:func:`_guard`). The websocket that drives desk only answers pages of its own address, so
another site open in the same browser cannot drive a desk on 127.0.0.1.

textual-serve (and aiohttp) are imported only when serving: ``desk --help`` and every other
command stay as quick as before.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import typer

from desk.cli.common import env_of, help_text, naming_the_source
from desk.errors import DeskError
from desk.i18n import t

if TYPE_CHECKING:
    from desk.db import Target

COOKIE = "desk_key"
WORKSTATION = "desk_workstation"  # the cookie naming a browser as a workstation
_WORKSTATION_ID = re.compile(r"[0-9a-f]{32}")


def serve_cmd(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help=help_text("serve.host")),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help=help_text("serve.port")),
) -> None:
    env = env_of(ctx)
    lang, _source = env.language()
    secret = env.config.serve.secret
    if not secret and not is_loopback(host):
        raise DeskError(t("cli.serve_needs_secret", host=host, config=env.config_path))
    target = env.target  # a database that is not there is refused here, not in every browser tab
    with naming_the_source(target):
        env.store.engine.dispose()  # opened once, migrated once, before any tab races to do it
    url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    announce = [t("cli.serve_listening", url=url)]
    if secret:
        announce.append(t("cli.serve_key_hint", url=url, config=env.config_path))
    from desk.paths import user_dir

    homes = user_dir() / "browsers" if target.path is not None else None
    server = server_class()(served_command(target, lang), host=host, port=port,
                            title=env.config.center_name_for(lang), secret=secret, announce=announce,
                            homes=homes)
    server.serve()


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_command(target: Target, lang: str) -> str:
    """The shell command textual-serve runs per connection: this Python's desk, on ``target``,
    in ``lang`` (``--db`` and ``--lang`` only: desk.entry starts the TUI straight away)."""
    args = [sys.executable, "-m", "desk"]
    if target.path is not None:
        args += ["--db", str(target.path)]
    args += ["--lang", lang]
    return subprocess.list2cmdline(args) if os.name == "nt" else shlex.join(args)


def public_url(scheme: str, host: str, forwarded_proto: str | None) -> str:
    """The address the browser used: pages and the websocket are named by it, so the cookie and
    the origin check hold whether it typed localhost or 127.0.0.1, or came through a TLS proxy
    (which says ``X-Forwarded-Proto: https``)."""
    if forwarded_proto:
        scheme = forwarded_proto.split(",")[0].strip() or scheme
    return f"{scheme}://{host}"


def same_origin(origin: str | None, host: str) -> bool:
    """A websocket opened by a page of this address (or by no page: a browser always says)."""
    return origin is None or urlsplit(origin).netloc.lower() == host.lower()


def key_token(secret: str) -> str:
    """What the cookie holds: derived from the secret, so the secret itself is sent only once."""
    return hmac.new(secret.encode(), b"desk serve", "sha256").hexdigest()


def workstation_home(homes: Path, cookie: str | None) -> Path:
    """The user folder of the browser whose cookie is ``cookie``: one that is not desk's own
    (none, or made up to reach another folder) gets a new folder, a workstation of one tab."""
    name = cookie if cookie and _WORKSTATION_ID.fullmatch(cookie) else secrets.token_hex(16)
    return homes / name


def _guard(secret: str) -> Any:
    """The aiohttp middleware in front of every page: the websocket only for pages of this
    address; with a secret, nothing without the key (``?key=`` once, then the cookie)."""
    from aiohttp import web

    token = key_token(secret) if secret else ""

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == "/ws" and not same_origin(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text=t("cli.serve_other_site"))
        if not secret or hmac.compare_digest(request.cookies.get(COOKIE, "").encode(), token.encode()):
            response = await handler(request)
            if request.path == "/" and not _WORKSTATION_ID.fullmatch(request.cookies.get(WORKSTATION, "")):
                # A browser new to this desk becomes a workstation (for a year of visits).
                response.set_cookie(WORKSTATION, secrets.token_hex(16), path="/", httponly=True,
                                    samesite="Strict", max_age=365 * 24 * 3600)
            return response
        key = request.query.get("key")
        if key is None or not hmac.compare_digest(key.encode(), secret.encode()):
            return web.Response(status=401, text=t("cli.serve_key_needed"))
        # The key leaves the address bar (and the history): the page again, with the cookie.
        query = request.rel_url.query.copy()
        del query["key"]
        response = web.Response(status=303, headers={"Location": str(request.rel_url.with_query(query))})
        url = public_url(request.scheme, request.host, request.headers.get("X-Forwarded-Proto"))
        response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="Strict",
                            secure=url.startswith("https:"))
        return response

    return guard


@cache
def server_class() -> type:
    """textual-serve's ``Server`` with desk's guard and per-request addresses (imported here,
    on first use, so that no other command loads aiohttp)."""
    import asyncio

    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log, to_int

    class BrowserAppService(AppService):
        """One tab's desk, in the user folder of its browser (``home``), when there is one."""

        def __init__(self, command: str, *, home: Path | None, **options: Any) -> None:
            super().__init__(command, **options)
            self.home = home

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            if self.home is not None:
                environment["DESK_HOME"] = str(self.home)
            return environment

    class DeskServer(Server):
        def __init__(self, command: str, *, host: str, port: int, title: str, secret: str,
                     announce: list[str], homes: Path | None) -> None:
            super().__init__(command, host=host, port=port, title=title)
            self.secret = secret
            self.announce = announce
            self.homes = homes

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's own, but for the tab's user folder, which it has no hook for.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            home = None if self.homes is None else workstation_home(self.homes, request.cookies.get(WORKSTATION))
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = BrowserAppService(
                    self.command, home=home, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                    close=websocket.close, download_manager=self.download_manager, debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(_guard(self.secret))
            return app

        async def handle_index(self, request: web.Request) -> Any:
            # textual-serve names the websocket and the static files by public_url, read
            # synchronously while the page is rendered: set per request, there is no await
            # between here and that read.
            self.public_url = public_url(request.scheme, request.host, request.headers.get("X-Forwarded-Proto"))
            return await super().handle_index(request)

        async def on_startup(self, app: web.Application) -> None:
            # Once listening: where to point a browser (textual-serve's own banner is English).
            for line in self.announce:
                print(line, flush=True)

    return DeskServer
