"""Secrets from files (``X_FILE``): compose ``secrets:`` and systemd ``LoadCredential=`` hand them over this way."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet

from chalicelib.config import WORKER_SECRET_FILE_VARS, ConfigError, Settings, WorkerSettings, with_secret_files

JWT = "j" * 40
STREAM = "s" * 40


@pytest.fixture
def secrets_dir(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text)
        path.chmod(0o600)
        return str(path)

    return write


def test_a_deployed_api_starts_from_secret_files_alone(secrets_dir):
    key = Fernet.generate_key().decode()
    env = {"SEEN_STAGE": "prod",
           "SEEN_JWT_SECRET_FILE": secrets_dir("jwt", JWT + "\n"),
           "SEEN_STREAM_SECRET_FILE": secrets_dir("stream", STREAM + "\n"),
           "SEEN_SETTINGS_KEY_FILE": secrets_dir("key", key + "\n"),
           "DATABASE_URL_FILE": secrets_dir("db", "postgresql://seen:pw@postgres:5432/seen\n"),
           "REDIS_URL_FILE": secrets_dir("redis", "redis://:pw@cache:6379/0")}
    settings = Settings.from_env(env)
    assert settings.auth.jwt_secret == JWT
    assert settings.stream.secret == STREAM
    assert settings.settings_key == key
    assert settings.database_url == "postgresql://seen:pw@postgres:5432/seen"
    assert settings.redis_url == "redis://:pw@cache:6379/0"
    assert JWT not in repr(settings) and STREAM not in repr(settings)


def test_only_one_trailing_newline_is_dropped(secrets_dir):
    env = {"X_FILE": secrets_dir("x", "value\n\n")}
    assert with_secret_files(env, ("X",))["X"] == "value\n"
    env = {"X_FILE": secrets_dir("crlf", "value\r\n")}
    assert with_secret_files(env, ("X",))["X"] == "value"
    env = {"X_FILE": secrets_dir("bare", "  spaced value")}
    assert with_secret_files(env, ("X",))["X"] == "  spaced value"


def test_a_set_variable_wins_over_its_file(secrets_dir):
    env = {"SEEN_JWT_SECRET": JWT, "SEEN_JWT_SECRET_FILE": secrets_dir("jwt", "f" * 40)}
    assert with_secret_files(env)["SEEN_JWT_SECRET"] == JWT
    # An empty value counts as unset (compose's `X: ${X:-}`).
    env = {"SEEN_JWT_SECRET": "", "SEEN_JWT_SECRET_FILE": secrets_dir("jwt2", "f" * 40)}
    assert with_secret_files(env)["SEEN_JWT_SECRET"] == "f" * 40


def test_the_input_mapping_is_left_alone(secrets_dir):
    env = {"SEEN_JWT_SECRET_FILE": secrets_dir("jwt", JWT)}
    with_secret_files(env)
    assert "SEEN_JWT_SECRET" not in env
    assert with_secret_files({"OTHER": "1"}) == {"OTHER": "1"}


def test_an_unreadable_file_names_the_variable_and_never_the_value(secrets_dir, tmp_path):
    missing = str(tmp_path / "absent")
    with pytest.raises(ConfigError, match="SEEN_STREAM_SECRET_FILE") as missing_error:
        Settings.from_env({"SEEN_STREAM_SECRET_FILE": missing})
    assert missing in str(missing_error.value)

    locked = secrets_dir("locked", STREAM)
    os.chmod(locked, 0)
    if os.access(locked, os.R_OK):  # root reads anything: use a directory instead, also unreadable as a file
        locked = str(tmp_path)
    with pytest.raises(ConfigError, match="SEEN_STREAM_SECRET_FILE") as locked_error:
        Settings.from_env({"SEEN_STREAM_SECRET_FILE": locked})
    assert STREAM not in str(locked_error.value)


def test_binary_garbage_is_a_config_error_without_the_bytes(tmp_path):
    path = tmp_path / "bin"
    path.write_bytes(b"\xff\xfe" + STREAM.encode())
    with pytest.raises(ConfigError, match="SEEN_STREAM_SECRET_FILE") as error:
        Settings.from_env({"SEEN_STREAM_SECRET_FILE": str(path)})
    assert STREAM not in str(error.value)


def test_the_worker_reads_its_stream_secret_from_a_file_but_never_database_credentials(secrets_dir):
    env = {"SEEN_STAGE": "prod", "SEEN_STREAM_SECRET_FILE": secrets_dir("stream", STREAM + "\n"),
           "DATABASE_URL_FILE": secrets_dir("db", "postgresql://seen:pw@postgres/seen")}
    worker = WorkerSettings.from_env(env)
    assert worker.stream.secret == STREAM
    assert "DATABASE_URL" not in with_secret_files(env, WORKER_SECRET_FILE_VARS)
    assert not any("database" in name for name in WorkerSettings.__dataclass_fields__)
