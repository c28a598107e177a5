"""The worker process: heartbeat in DynamoDB, clean exit on SIGTERM, no database access."""

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from embedded.services import ROOT


def worker_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"SEEN_HEARTBEAT_INTERVAL": "0.5", "PYTHONPATH": str(ROOT), **extra})
    return env


def test_worker_writes_its_heartbeat_and_exits_cleanly_on_sigterm(aws, tmp_path):
    from chalicelib.telemetry import WorkerHeartbeat

    proc = subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            env=worker_env(SEEN_WORKER_ID="test-worker", SEEN_STAGING_DIR=str(tmp_path)))
    try:
        deadline = time.monotonic() + 20
        item = None
        while time.monotonic() < deadline and item is None:
            item = next(iter(WorkerHeartbeat.scan()), None)
            time.sleep(0.2)
        assert item is not None, "no heartbeat within 20 s"
        assert item.worker_id == "test-worker"
        assert item.free_disk_bytes > 0 and item.active_jobs == 0
        assert item.is_online() and item.expires_at > item.last_seen
        first_seen = item.last_seen
        time.sleep(1.2)
        item.refresh()
        assert item.last_seen > first_seen  # it keeps beating
        health = subprocess.run([sys.executable, "-m", "worker.healthcheck"], cwd=ROOT, capture_output=True,
                                env=worker_env(SEEN_STAGING_DIR=str(tmp_path)), timeout=30)
        assert health.returncode == 0, health.stdout
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=15)[0].decode()
    assert proc.returncode == 0, output
    assert "worker_stopped" in output
    stale = subprocess.run([sys.executable, "-m", "worker.healthcheck"], cwd=ROOT, capture_output=True,
                           env=worker_env(SEEN_STAGING_DIR=str(tmp_path / "elsewhere")), timeout=30)
    assert stale.returncode == 1  # no heartbeat file: unhealthy


def test_worker_never_imports_the_postgres_layer():
    forbidden = ("psycopg", "psycopg_pool", "chalicelib.db", "yoyo", "aiosql")
    for path in Path(ROOT, "worker").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                assert not name.startswith(forbidden), f"{path}: imports {name}"


def test_worker_process_loads_no_database_module_at_run_time():
    code = ("import sys, worker.main, worker.heartbeat, worker.context; "
            "bad = [m for m in sys.modules if m.startswith(('psycopg', 'chalicelib.db'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=worker_env(), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
