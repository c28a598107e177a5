"""When nothing answers at DATABASE_URL / REDIS_URL, private servers start from installed binaries."""

import shutil
import uuid

import psycopg
import redis

from embedded import services
from embedded.services import ROOT


def test_private_postgres_and_redis_start_and_stop_cleanly():
    # Under the work tree, not /tmp: initdb runs as an unprivileged user who must reach it.
    data_dir = ROOT / ".data" / f"private-{uuid.uuid4().hex[:8]}"
    pg_port, redis_port = services.free_port(), services.free_port()
    started = services.Started()
    try:
        nothing_here = f"postgresql://postgres@127.0.0.1:{services.free_port()}/seen"
        url = services.ensure_postgres(started, nothing_here, private_port=pg_port, data_dir=data_dir)
        assert url == f"postgresql://postgres@127.0.0.1:{pg_port}/seen"
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("seen",)
        redis_url = services.ensure_redis(started, f"redis://127.0.0.1:{services.free_port()}/0",
                                          private_port=redis_port, data_dir=data_dir)
        assert redis.Redis.from_url(redis_url).ping()
    finally:
        started.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    assert not services.port_open("127.0.0.1", pg_port)
    assert not services.port_open("127.0.0.1", redis_port)


def test_a_bad_setting_stops_make_dev_with_one_line_naming_it():
    import os
    import subprocess
    import sys

    env = {**os.environ, "SEEN_MAX_BODY_BYTES": "lots", "PYTHONPATH": f"{ROOT}:{ROOT / 'localstack'}"}
    env.pop("AWS_ENDPOINT_URL", None)
    result = subprocess.run([sys.executable, "-m", "embedded", "--gateway-port", str(services.free_port()),
                             "--api-port", str(services.free_port()), "--aws-port", str(services.free_port())],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "configuration error: SEEN_MAX_BODY_BYTES must be an integer" in result.stderr
    assert "Traceback" not in result.stderr

