"""``desk serve``: what it refuses, the command each browser tab runs, and the guard in front.

The server itself is replaced by a recorder here (tests/integration/test_browser.py serves desk
for real to a browser); the guard runs in aiohttp's test client, as a browser would meet it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from desk.cli import serve as serve_mod
from desk.db import open_database
from desk.entry import tui_options
from tests.helpers import assert_one_line_error, desk

pytestmark = pytest.mark.usefixtures("english")

SECRET = "correct horse battery staple"


class Recorder:
    """Stands in for textual-serve's server: keeps what it was given and serves nothing."""

    made: list[Recorder] = []

    def __init__(self, command: str, **options) -> None:
        self.command, self.options, self.served = command, options, False
        Recorder.made.append(self)

    def serve(self) -> None:
        self.served = True


@pytest.fixture
def served(monkeypatch) -> list[Recorder]:
    Recorder.made = []
    monkeypatch.setattr(serve_mod, "server_class", lambda: Recorder)
    return Recorder.made


@pytest.fixture
def center(db_path: Path) -> Path:
    open_database(db_path).dispose()
    return db_path


def with_secret(db: Path, secret: str = SECRET) -> None:
    (db.parent / "desk.toml").write_text(f'[serve]\nsecret = "{secret}"\n', encoding="utf-8")


# ---- what it refuses -----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "desk.example.org", ""])
def test_another_address_without_a_secret_is_refused_in_one_line(center, served, host):
    result = desk("--db", str(center), "serve", "--host", host)
    assert_one_line_error(result, f"--host {host} ", "[serve]", str(center.parent / "desk.toml"))
    assert served == []


@pytest.mark.parametrize("port", ["0", "65536", "-1", "eighty"])
def test_a_bad_port_is_refused_in_one_line(center, served, port):
    assert_one_line_error(desk("--db", str(center), "serve", "--port", port), "--port")
    assert served == []


def test_a_database_that_is_not_there_is_refused_before_serving(tmp_path, served):
    assert_one_line_error(desk("--db", str(tmp_path / "typo.db"), "serve"), "typo.db")
    assert served == []


# ---- what it serves ------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_this_machine_needs_no_secret(center, served, host):
    assert desk("--db", str(center), "serve", "--host", host).exit_code == 0
    (server,) = served
    assert server.served and server.options["host"] == host and server.options["secret"] == ""
    assert server.options["port"] == 8000


def test_another_address_with_a_secret_is_served_with_it(center, served):
    with_secret(center)
    result = desk("--db", str(center), "serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    (server,) = served
    assert (server.options["host"], server.options["port"], server.options["secret"]) == ("0.0.0.0", 8123, SECRET)
    assert any("?key=" in line for line in server.options["announce"])  # how a browser gets in
    assert SECRET not in " ".join(server.options["announce"])


def test_each_browser_has_a_user_folder_of_its_own_under_the_servers(center, served, desk_home):
    assert desk("--db", str(center), "serve").exit_code == 0
    (server,) = served
    assert server.options["homes"] == desk_home / "browsers"


def test_a_browser_is_known_by_its_cookie_and_no_cookie_reaches_another_folder(tmp_path):
    mine = "0123456789abcdef0123456789abcdef"
    assert serve_mod.workstation_home(tmp_path, mine) == tmp_path / mine
    strangers = {serve_mod.workstation_home(tmp_path, cookie) for cookie in (None, "", "../../etc", mine.upper(), mine + "0")}
    assert len(strangers) == 5  # each a new workstation of its own
    assert all(home.parent == tmp_path and home.name != mine for home in strangers)


def test_each_tab_runs_desk_on_the_same_database_and_language(center, served, monkeypatch):
    monkeypatch.chdir(center.parent)
    assert desk("--db", center.name, "--lang", "zh_CN", "serve").exit_code == 0
    (server,) = served
    args = shlex.split(server.command)
    assert args[1:3] == ["-m", "desk"]
    # The absolute path: the database is the same whatever folder the tab's desk starts in.
    assert tui_options(args[3:]) == {"db": str(center.resolve()), "lang": "zh_CN"}


def test_the_database_of_the_environment_is_carried_as_db(center, served, monkeypatch):
    monkeypatch.setenv("DESK_DB", str(center))
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert desk("serve").exit_code == 0
    (server,) = served
    # Without --lang, the language this invocation resolved (here the locale's) is the tabs'.
    assert tui_options(shlex.split(server.command)[3:]) == {"db": str(center.resolve()), "lang": "zh_CN"}


def test_the_demo_center_is_served_by_its_path(desk_home, served):
    from desk.paths import demo_db_path

    demo_db_path().parent.mkdir(parents=True)
    open_database(demo_db_path()).dispose()
    assert desk("--demo", "serve").exit_code == 0
    (server,) = served
    assert tui_options(shlex.split(server.command)[3:])["db"] == str(demo_db_path().resolve())


# ---- the guard, as a browser meets it ------------------------------------------------------


async def client_for(make, secret: str):
    server = serve_mod.server_class()("true", host="127.0.0.1", port=8000, title="desk", secret=secret, announce=[],
                                      homes=None)
    return await make(await server._make_app())


@pytest.fixture
async def browser():
    """An aiohttp test client on a served app (no desk process starts: only / and /ws's
    handshake are asked for)."""
    from aiohttp.test_utils import TestClient, TestServer

    clients = []

    async def make(app):
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


async def test_with_a_secret_nothing_is_served_without_the_key(browser):
    client = await client_for(browser, SECRET)
    for path in ("/", "/?key=wrong", "/static/js/textual.js", "/ws"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 401, path
        assert "?key=" in await response.text()


async def test_the_key_once_leaves_a_cookie_and_the_address_bar(browser):
    client = await client_for(browser, SECRET)
    response = await client.get("/", params={"key": SECRET, "fontsize": "18"}, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/?fontsize=18"
    cookie = response.cookies[serve_mod.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and SECRET not in cookie.value
    page = await client.get("/?fontsize=18")  # the client sends the cookie back, as a browser does
    assert page.status == 200
    text = await page.text()
    host = f"127.0.0.1:{client.port}"
    # The page names its websocket by the address the browser used, so the cookie goes with it.
    assert f'data-session-websocket-url="ws://{host}/ws"' in text
    assert (await client.get("/static/js/textual.js")).status == 200


async def test_a_new_browser_is_made_a_workstation_once(browser):
    client = await client_for(browser, "")
    first = await client.get("/")
    cookie = first.cookies[serve_mod.WORKSTATION]
    assert len(cookie.value) == 32 and cookie["httponly"] and cookie["max-age"]
    again = await client.get("/")  # the client sends it back, as a browser does
    assert serve_mod.WORKSTATION not in again.cookies
    assert client.session.cookie_jar.filter_cookies(client.make_url("/"))[serve_mod.WORKSTATION].value == cookie.value


async def test_behind_a_tls_proxy_the_page_names_wss(browser):
    client = await client_for(browser, "")
    text = await (await client.get("/", headers={"X-Forwarded-Proto": "https", "Host": "desk.example.org"})).text()
    assert 'data-session-websocket-url="wss://desk.example.org/ws"' in text
    assert 'href="https://desk.example.org/static/css/xterm.css"' in text


@pytest.mark.parametrize("secret", ["", SECRET])
async def test_a_page_of_another_site_cannot_open_the_websocket(browser, secret):
    client = await client_for(browser, secret)
    if secret:
        await client.get("/", params={"key": SECRET})
    response = await client.get("/ws", headers={"Origin": "http://evil.example.com"})
    assert response.status == 403
    assert "another site" in await response.text()


def test_loopback_addresses():
    assert all(serve_mod.is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"))
    assert not any(serve_mod.is_loopback(h) for h in ("0.0.0.0", "::", "10.0.0.1", "desk.local", ""))
