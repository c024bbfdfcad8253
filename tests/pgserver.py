"""A throwaway PostgreSQL server for the tests: Debian's binaries (initdb, pg_ctl) in a temporary directory on a
free loopback port, run as the ``postgres`` user when the tests run as root, removed afterwards. Or the server
named by ``$NEWSLOOM_TEST_PG`` (a URL whose user may create databases)."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass

ENV = "NEWSLOOM_TEST_PG"


def server_binaries() -> str | None:
    """The newest /usr/lib/postgresql/*/bin that has initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]) if
                   p.split("/")[4].isdigit() else 0)
    for initdb in reversed(found):
        folder = os.path.dirname(initdb)
        if os.path.exists(os.path.join(folder, "pg_ctl")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PgServer:
    """A running server; ``database()`` makes a fresh, empty database and returns its URL."""
    admin_url: str
    folder: str | None = None
    bin_dir: str | None = None
    as_user: str | None = None

    def url_for(self, dbname: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{dbname}"

    def database(self) -> str:
        import psycopg

        name = "nl_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url_for(name)

    def drop(self, url: str) -> None:
        import psycopg

        name = url.rpartition("/")[2]
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.folder is None:
            return
        self._run([os.path.join(self.bin_dir, "pg_ctl"), "-D", os.path.join(self.folder, "data"), "-m", "immediate",
                   "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def _run(self, command: list[str], check: bool = True) -> subprocess.CompletedProcess:
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)


def start() -> PgServer:
    """A server for the tests; raises RuntimeError saying why when none can be had."""
    if os.environ.get(ENV):
        return PgServer(admin_url=os.environ[ENV])
    bin_dir = server_binaries()
    if bin_dir is None:
        raise RuntimeError(f"no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql) "
                           f"and ${ENV} is not set")
    folder = tempfile.mkdtemp(prefix="newsloom-pg-")
    as_user = None
    if os.geteuid() == 0:
        as_user = "postgres"
        shutil.chown(folder, user="postgres")
    os.chmod(folder, 0o700)
    server = PgServer(admin_url="", folder=folder, bin_dir=bin_dir, as_user=as_user)
    data = os.path.join(folder, "data")
    try:
        server._run([os.path.join(bin_dir, "initdb"), "-D", data, "-U", "newsloom", "--auth=trust", "-E", "UTF8",
                     "--locale=C.UTF-8" if os.path.exists("/usr/lib/locale/C.utf8") else "--locale=C"])
        port = _free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        server._run([os.path.join(bin_dir, "pg_ctl"), "-D", data, "-o", options, "-l",
                     os.path.join(folder, "log"), "-w", "-t", "60", "start"])
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        server.stop()
        raise RuntimeError(f"the test PostgreSQL server did not start: {exc} {detail.strip()[:300]}") from None
    server.admin_url = f"postgresql://newsloom@127.0.0.1:{port}/postgres"
    return server
