"""A throwaway PostgreSQL server for the tests, the benchmarks and CI.

``start()`` runs ``initdb`` in a fresh temporary folder and ``pg_ctl start`` on 127.0.0.1 and
a free port, trusting local connections, with fsync off (nothing in it has to survive a
crash), and returns a :class:`PgServer` whose ``url`` SQLAlchemy opens with psycopg. The server
is stopped and its folder removed when the process exits, or by ``stop()``.

PostgreSQL refuses to run as root: as root, every server command runs as the ``postgres``
user (``runuser -u postgres --``) and the folder is created owned by that user.

Tests import it (``tests/conftest.py``); bench scripts put ``tests/`` on ``sys.path``. CI
needs a server that outlives one Python process, so it runs this file::

    python tests/pgserver.py check        # exit 1 when initdb or pg_ctl is missing
    python tests/pgserver.py start DIR    # prints the URL; the server keeps running
    python tests/pgserver.py stop DIR

DIR must be a new folder the server user can reach (under /tmp, say).
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"
# Speed over durability: a crash loses a throwaway server anyway.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class PgServerError(RuntimeError):
    """The server could not be found, initialised or started."""


def find_binary(name: str) -> str | None:
    """``name`` on PATH, else in the newest /usr/lib/postgresql/*/bin (Debian keeps it there)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    candidates.sort(key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def available() -> bool:
    return find_binary("initdb") is not None and find_binary("pg_ctl") is not None


@dataclass
class PgServer:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return url_for(self.port)

    def stop(self) -> None:
        """Stop the server (immediately: nothing in it is kept) and remove its folder."""
        if self.folder.exists():
            _stop(self.folder)
            shutil.rmtree(self.folder, ignore_errors=True)


def url_for(port: int, database: str = "postgres") -> str:
    return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{port}/{database}"


def start(folder: Path | None = None, *, stop_at_exit: bool = True) -> PgServer:
    """Initialise and start a server in ``folder`` (a new temporary folder by default)."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise PgServerError("initdb and pg_ctl were not found (on PATH or in /usr/lib/postgresql/*/bin)")
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="desk-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    _own(folder)
    data = folder / "data"
    _run([initdb, "-D", str(data), "-U", SERVER_USER, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"])
    server = None
    for _ in range(5):  # another process may take the free port before the server binds it
        port = _free_port()
        with (data / "postgresql.conf").open("a") as conf:
            conf.write("\n# desk's throwaway server (tests/pgserver.py)\n")
            for key, value in {**SETTINGS, "port": str(port), "unix_socket_directories": f"'{folder}'"}.items():
                conf.write(f"{key} = {value}\n")
        try:
            _run([pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "-t", "60", "start"])
        except PgServerError:
            continue
        server = PgServer(folder=folder, port=port)
        break
    if server is None:
        log = folder / "server.log"
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        shutil.rmtree(folder, ignore_errors=True)
        raise PgServerError("the PostgreSQL server did not start: " + " / ".join(tail))
    if stop_at_exit:
        atexit.register(server.stop)
    return server


def _stop(folder: Path) -> None:
    pg_ctl = find_binary("pg_ctl")
    data = folder / "data"
    if pg_ctl and (data / "postmaster.pid").exists():
        _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], check=False)


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *argv] if os.geteuid() == 0 else argv


def _own(folder: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(folder, user=SERVER_USER, group=SERVER_USER)
        folder.chmod(0o700)


def _run(argv: list[str], check: bool = True) -> None:
    done = subprocess.run(_as_server_user(argv), stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if check and done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise PgServerError(f"{Path(argv[0]).name} failed: {message[-1] if message else done.returncode}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    if argv == ["check"]:
        for name in ("initdb", "pg_ctl"):
            print(f"{name}: {find_binary(name) or 'not found'}")
        return 0 if available() else 1
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python tests/pgserver.py check | start DIR | stop DIR", file=sys.stderr)
        return 2
    action, folder = argv[0], Path(argv[1])
    if action == "stop":
        PgServer(folder=folder, port=0).stop()
        return 0
    try:
        server = start(folder, stop_at_exit=False)
    except PgServerError as err:
        print(f"pgserver: {err}", file=sys.stderr)
        return 1
    print(server.url)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
