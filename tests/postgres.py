"""A throw-away PostgreSQL server for the tests, from the Debian packages' binaries."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid


def _bindir():
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "pg_ctl")):
            return candidate
    found = shutil.which("pg_ctl")
    if found:
        return os.path.dirname(os.path.realpath(found))
    raise RuntimeError("PostgreSQL server binaries not found: apt-get install postgresql "
                       "(bash .ci/run does it)")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TemporaryPostgres:
    """initdb + pg_ctl in a temporary folder, listening on a free loopback port."""

    def __init__(self):
        self.bindir = _bindir()
        self.root = tempfile.mkdtemp(prefix="dutyline-pg-")
        self.data = os.path.join(self.root, "data")
        self.port = _free_port()
        # PostgreSQL refuses to run as root; use the postgres account then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.root, "postgres")
        self._admin = None  # a connection to the "postgres" database, made on first use

    PASSWORD = "dutyline-test-password"  # logins over TCP check it, so a wrong one is refused

    def _run(self, *args):
        subprocess.run(self.as_user + list(args), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, cwd=self.root,
                       env={**os.environ, "PGPASSWORD": self.PASSWORD})

    def start(self):
        password_file = os.path.join(self.root, "password")
        with open(password_file, "w") as handle:
            handle.write(self.PASSWORD + "\n")
        if self.as_user:
            shutil.chown(password_file, "postgres")
        self._run(os.path.join(self.bindir, "initdb"), "-D", self.data, "--auth-local=trust",
                  "--auth-host=scram-sha-256", f"--pwfile={password_file}", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")
        return self.resume()

    def resume(self):
        """Start the server (again, after halt()) on the same data and port."""
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-o", options,
                  "-l", os.path.join(self.root, "log"), "-w", "start")
        return self

    def halt(self, mode="fast"):
        """Stop the server (by default as a maintenance restart does: sessions cut, data
        written out), keeping its data for resume()."""
        self._close_admin()
        self._run(os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop")

    def url(self, name):
        return f"postgresql://postgres:{self.PASSWORD}@127.0.0.1:{self.port}/{name}"

    def new_database(self, template=None):
        """A fresh database, empty or a copy of a template (see make_template); its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        self._sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def make_template(self, url):
        """Turn the database at `url` into a template for new_database; returns its name.

        A template is copied whole (tables, rows, sequences, functions, triggers), and only
        while no session is connected to it: close every connection to it first. From now
        on none can connect to it, so nothing changes it by mistake."""
        name = url.rsplit("/", 1)[1]
        self._sql(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
        return name

    def _sql(self, statement):
        """Run one statement in the "postgres" database, outside any transaction."""
        import psycopg

        for attempt in (1, 2):
            if self._admin is None or self._admin.closed:
                self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
            try:
                self._admin.execute(statement)
                return
            except psycopg.OperationalError:
                if attempt == 2 or not self._admin.broken:
                    raise
                self._close_admin()  # the server ended that session: once more on a new one

    def _close_admin(self):
        if self._admin is not None:
            self._admin.close()
            self._admin = None

    def stop(self):
        try:
            self.halt("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
