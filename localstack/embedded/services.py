"""Find or start Postgres, Redis and the AWS emulator for dev and tests.

Each ``ensure_*`` reuses a server that already answers at the configured URL,
otherwise starts a private one under ``.data/`` from installed server binaries,
otherwise stops with a message that says exactly what to install.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / ".data"
VENV_BIN = Path(sys.executable).parent


class MissingDependency(SystemExit):
    def __init__(self, what: str, install: str):
        super().__init__(f"\n/seen/: {what}.\n  Install it with: {install}\n")


@dataclass
class Started:
    """Processes this runtime started (and must stop)."""

    processes: list[subprocess.Popen] = field(default_factory=list)
    cleanups: list = field(default_factory=list)

    def stop(self, timeout: float = 10.0) -> None:
        for proc in reversed(self.processes):
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in reversed(self.processes):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(5)
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.processes.clear()
        self.cleanups.clear()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass


def spawn(args: list[str], *, env: dict | None = None, log: Path | None = None, user: str | None = None,
          cwd: Path = ROOT) -> subprocess.Popen:
    """Start a child in its own process group so it can be stopped with all its children."""
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "ab") if log else None  # noqa: SIM115 - lives as long as the child
    kwargs = {}
    if user is not None and os.geteuid() == 0:
        kwargs["user"] = user
    return subprocess.Popen(args, env=env, cwd=cwd, stdout=out or subprocess.DEVNULL,
                            stderr=subprocess.STDOUT if out else subprocess.DEVNULL,
                            start_new_session=True, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check, what: str, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"/seen/: {what} exited with code {proc.returncode} while starting")
        time.sleep(0.1)
    raise SystemExit(f"/seen/: {what} did not come up within {timeout:.0f}s")


# --- Postgres ----------------------------------------------------------------


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, connect_timeout=2, autocommit=True)


def postgres_reachable(url: str) -> bool:
    try:
        with _pg_connect(with_database(url, "postgres")):
            return True
    except Exception:
        return False


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def create_database(url: str, *, template: str | None = None, drop: bool = False) -> None:
    from psycopg import sql

    name = database_name(url)
    with _pg_connect(with_database(url, "postgres")) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            conn.execute(statement)


def drop_database(url: str) -> None:
    from psycopg import sql

    with _pg_connect(with_database(url, "postgres")) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))))


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise SystemExit("/seen/: running as root and no unprivileged user (postgres/nobody) exists for initdb")


def start_private_postgres(started: Started, port: int, data_dir: Path = DATA) -> str:
    initdb, pg_ctl, postgres = _pg_bin("initdb"), _pg_bin("pg_ctl"), _pg_bin("postgres")
    if not (initdb and pg_ctl and postgres):
        raise MissingDependency("PostgreSQL is not reachable and no server binaries were found",
                                "sudo apt-get install postgresql postgresql-contrib")
    user = _unprivileged_user()
    pgdata = data_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    if not (pgdata / "PG_VERSION").exists():
        pgdata.mkdir(parents=True, exist_ok=True)
        if user:
            shutil.chown(pgdata, user)
        subprocess.run([initdb, "-D", str(pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                       check=True, stdout=subprocess.DEVNULL, user=user)
    proc = spawn([postgres, "-D", str(pgdata), "-p", str(port), "-h", "127.0.0.1", "-k", str(pgdata)],
                 log=data_dir / "postgres.log", user=user)
    started.processes.append(proc)
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    wait_until(lambda: postgres_reachable(url), "private PostgreSQL", proc=proc)
    return url


def ensure_postgres(started: Started, url: str, private_port: int = 55432, data_dir: Path = DATA) -> str:
    """Return a URL of a reachable Postgres server with the database of ``url`` created."""
    if not postgres_reachable(url):
        local = urlsplit(url).hostname in ("127.0.0.1", "localhost", None)
        if not local:
            raise SystemExit(f"/seen/: PostgreSQL at {urlsplit(url).hostname} is not reachable")
        base = start_private_postgres(started, private_port, data_dir)
        url = with_database(base, database_name(url))
    create_database(url)
    return url


# --- Redis -------------------------------------------------------------------


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def ensure_redis(started: Started, url: str, private_port: int = 56379, data_dir: Path = DATA) -> str:
    if redis_reachable(url):
        return url
    server = shutil.which("redis-server")
    if not server:
        raise MissingDependency("Redis is not reachable and redis-server is not installed",
                                "sudo apt-get install redis-server")
    (data_dir / "redis").mkdir(parents=True, exist_ok=True)
    proc = spawn([server, "--port", str(private_port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no", "--dir", str(data_dir / "redis")], log=data_dir / "redis.log")
    started.processes.append(proc)
    db = urlsplit(url).path.lstrip("/") or "0"
    url = f"redis://127.0.0.1:{private_port}/{db}"
    wait_until(lambda: redis_reachable(url), "private Redis", proc=proc)
    return url


# --- AWS emulator (moto server, or LocalStack when it already runs) ------------


def aws_reachable(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint.rstrip("/") + "/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # LocalStack answers, just not on moto's path
    except Exception:
        return False


def start_moto(started: Started, port: int, log: Path | None = None) -> str:
    moto = VENV_BIN / "moto_server"
    if not moto.exists():
        raise MissingDependency("moto_server is missing from the virtualenv", "make setup")
    proc = spawn([str(moto), "-H", "127.0.0.1", "-p", str(port)], log=log)
    started.processes.append(proc)
    endpoint = f"http://127.0.0.1:{port}"
    wait_until(lambda: aws_reachable(endpoint), "moto server", proc=proc)
    return endpoint


def start_strict_aws(started: Started, port: int, log: Path | None = None) -> str:
    """moto behind a SigV4 gate (``embedded.awsgate``): unsigned or mis-signed requests and uploads outside
    their POST policy are refused, as S3 and MinIO refuse them. The tests' own moto (``start_moto``) stays
    plain: the app must hold against a store that does not verify, and the suite resets it unsigned."""
    credentials = aws_env("")
    env = {**os.environ, "AWS_ACCESS_KEY_ID": credentials["AWS_ACCESS_KEY_ID"],
           "AWS_SECRET_ACCESS_KEY": credentials["AWS_SECRET_ACCESS_KEY"],
           "PYTHONPATH": f"{ROOT / 'localstack'}{os.pathsep}{ROOT}"}
    proc = spawn([sys.executable, "-m", "embedded.awsgate", "--host", "127.0.0.1", "--port", str(port)],
                 env=env, log=log)
    started.processes.append(proc)
    endpoint = f"http://127.0.0.1:{port}"
    wait_until(lambda: aws_reachable(endpoint), "AWS emulator (moto behind its SigV4 gate)", proc=proc)
    return endpoint


def ensure_aws(started: Started, endpoint: str | None, port: int = 4566) -> str:
    if endpoint and aws_reachable(endpoint):
        return endpoint
    return start_strict_aws(started, port, DATA / "moto.log")


def aws_env(endpoint: str) -> dict[str, str]:
    """Credentials an emulator accepts; never used against real AWS."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "seen-local",
        "AWS_SECRET_ACCESS_KEY": "seen-local",
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    }
