"""`make dev` keeps the instance secrets under .data/secrets/ like the home setup.sh: made once with mode 0600 in a
0700 directory, reused on later runs, an explicit variable winning; the app's settings read them (issue 34 item 3)."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from chalicelib.config import DEV_JWT_SECRET, Settings, WorkerSettings
from chalicelib.config.stream import DEV_STREAM_SECRET
from embedded import instance_secrets
from embedded.services import ROOT

FILES = {"SEEN_SETTINGS_KEY": "settings_key", "SEEN_JWT_SECRET": "jwt_secret", "SEEN_STREAM_SECRET": "stream_secret"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_secrets_are_made_once_private_and_reused_on_the_next_run(tmp_path):
    directory = tmp_path / ".data" / "secrets"
    first = instance_secrets.ensure(directory, {})
    assert first == {f"{name}_FILE": str(directory / file) for name, file in FILES.items()}
    assert mode(directory) == 0o700
    values = {}
    for path in map(Path, first.values()):
        assert mode(path) == 0o600, path
        values[path.name] = path.read_text()
    assert len(set(values.values())) == 3  # three different random values

    # The next `make dev` finds them and changes nothing, even when a permission was widened meanwhile.
    (directory / "jwt_secret").chmod(0o644)
    directory.chmod(0o755)
    second = instance_secrets.ensure(directory, {})
    assert second == first
    assert {path.name: path.read_text() for path in map(Path, second.values())} == values
    assert mode(directory) == 0o700 and mode(directory / "jwt_secret") == 0o600


def test_the_app_reads_them_and_can_encrypt_sign_and_verify_with_them(tmp_path):
    files = instance_secrets.ensure(tmp_path / "secrets", {})
    settings = Settings.from_env({"SEEN_STAGE": "local", **files})
    assert settings.settings_key == (tmp_path / "secrets" / "settings_key").read_text().strip()
    fernet = Fernet(settings.settings_key.encode())
    assert fernet.decrypt(fernet.encrypt(b"a TMDB key")) == b"a TMDB key"
    assert settings.auth.jwt_secret not in ("", DEV_JWT_SECRET) and len(settings.auth.jwt_secret) >= 32
    worker = WorkerSettings.from_env({"SEEN_STREAM_SECRET_FILE": files["SEEN_STREAM_SECRET_FILE"]})
    assert settings.stream.secret == worker.stream.secret != DEV_STREAM_SECRET


def test_an_explicit_variable_wins_and_no_file_is_made_for_it(tmp_path):
    directory = tmp_path / "secrets"
    env = {"SEEN_JWT_SECRET": "j" * 40, "SEEN_STREAM_SECRET_FILE": str(tmp_path / "mine")}
    made = instance_secrets.ensure(directory, env)
    assert made == {"SEEN_SETTINGS_KEY_FILE": str(directory / "settings_key")}
    assert sorted(path.name for path in directory.iterdir()) == ["settings_key"]
    assert instance_secrets.ensure(directory, {**env, "SEEN_SETTINGS_KEY": "x"}) == {}


def test_two_runs_starting_at_once_end_up_with_one_value(tmp_path):
    """The e2e stacks start side by side: each secret is written whole, once, and both runs use it."""
    script = ("import sys; from pathlib import Path; from embedded import instance_secrets; "
              "print(Path(instance_secrets.ensure(Path(sys.argv[1]), {})['SEEN_JWT_SECRET_FILE']).read_text(), end='')")
    env = {"PYTHONPATH": f"{ROOT}:{ROOT / 'localstack'}"}
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "secrets")], env=env,
                             stdout=subprocess.PIPE, text=True) for _ in range(6)]
    outputs = {run.communicate(timeout=60)[0] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert outputs == {(tmp_path / "secrets" / "jwt_secret").read_text()} and len(outputs.pop()) > 40
    assert [path.name for path in (tmp_path / "secrets").iterdir() if path.name.startswith(".")] == []
