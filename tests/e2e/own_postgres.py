"""A PostgreSQL server of a test's own, to stop and start under a running bot (the suite's
shared server must stay up for the other tests). As `scripts/with-postgres` does: initdb
and pg_ctl on a free loopback port, as an unprivileged user when run as root."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


class OwnPostgres:
    def __init__(self):
        self.bindir = _bindir()
        self.folder = Path(tempfile.mkdtemp(prefix="qpr-own-pg."))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.as_owner = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"postgresql+psycopg://qpr@127.0.0.1:{self.port}/postgres"

    @property
    def available(self) -> bool:
        return self.bindir is not None

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_owner, *args], check=True, capture_output=True, timeout=60)

    def create(self) -> OwnPostgres:
        (self.folder / "sock").mkdir()
        if self.as_owner:
            subprocess.run(["chown", "-R", "nobody", str(self.folder)], check=True)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "qpr", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        return self.start()

    def start(self) -> OwnPostgres:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder / 'sock'} -c fsync=off"
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
            str(self.folder / "server.log"), "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
             "immediate", "stop"],
            capture_output=True,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)
