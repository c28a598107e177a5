import pytest

from chalicelib.config import ConfigError, Settings, WorkerSettings


def test_defaults_describe_a_local_instance():
    settings = Settings.from_env({})
    assert settings.stage == "local"
    assert settings.database_url.startswith("postgresql://")
    assert settings.aws.queues == ("seen-download-commands", "seen-worker-events", "seen-media-commands",
                                   "seen-import-commands")
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.db_pool_size > 0


def test_lambda_uses_one_connection_instead_of_a_pool():
    assert Settings.from_env({"AWS_LAMBDA_FUNCTION_NAME": "seen-dev"}).db_pool_size == 0


def test_prod_without_database_url_names_the_variable():
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        Settings.from_env({"SEEN_STAGE": "prod"})


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"SEEN_STAGE": "staging"}, "SEEN_STAGE"),
        ({"SEEN_MAX_BODY_BYTES": "lots"}, "SEEN_MAX_BODY_BYTES"),
        ({"SEEN_MAX_BODY_BYTES": "0"}, "SEEN_MAX_BODY_BYTES"),
        ({"SEEN_REDIS_TIMEOUT": "soon"}, "SEEN_REDIS_TIMEOUT"),
    ],
)
def test_bad_values_stop_with_the_variable_named(env, name):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env(env)


def test_names_and_lists_come_from_the_environment():
    settings = Settings.from_env({
        "SEEN_BUCKET": "media-x", "SEEN_CORS_ORIGINS": "https://a.example, https://b.example",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
    })
    assert settings.aws.bucket == "media-x"
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.aws.endpoint_url == "http://127.0.0.1:4566"


def test_worker_settings_have_no_database_field():
    worker = WorkerSettings.from_env({"DATABASE_URL": "postgresql://secret@db/seen", "SEEN_WORKER_ID": "nas"})
    assert worker.worker_id == "nas"
    assert not any("database" in name for name in vars(worker))


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_deployed_stages_need_a_stream_secret_both_sides_share(stage):
    base = {"SEEN_STAGE": stage, "DATABASE_URL": "postgresql://db/seen", "SEEN_JWT_SECRET": "j" * 32}
    with pytest.raises(ConfigError, match="SEEN_STREAM_SECRET"):
        Settings.from_env(base)
    with pytest.raises(ConfigError, match="SEEN_STREAM_SECRET"):
        WorkerSettings.from_env({"SEEN_STAGE": stage})
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        Settings.from_env({**base, "SEEN_STREAM_SECRET": "short"})
    secret = "s" * 32
    assert Settings.from_env({**base, "SEEN_STREAM_SECRET": secret}).stream.secret == secret
    assert WorkerSettings.from_env({"SEEN_STAGE": stage, "SEEN_STREAM_SECRET": secret}).stream.secret == secret
    assert secret not in repr(Settings.from_env({**base, "SEEN_STREAM_SECRET": secret}))
