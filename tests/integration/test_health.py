"""Liveness and readiness through the real app, with real dependencies up or down."""

import json

import pytest


def body(response):
    return json.loads(response.body)


def test_live_answers_without_touching_dependencies(client):
    response = client.http.get("/api/v1/health/live")
    assert response.status_code == 200
    assert body(response)["status"] == "ok"


def test_ready_is_200_when_every_component_answers(client):
    response = client.http.get("/api/v1/health/ready")
    assert response.status_code == 200, response.body
    data = body(response)
    assert data["status"] == "ok" and data["failed"] == []
    assert set(data["components"]) == {"postgres", "redis", "s3", "sqs", "dynamodb"}
    assert all(c["ok"] for c in data["components"].values())


def test_ready_is_503_naming_redis_when_redis_is_down(client, monkeypatch):
    from chalicelib import cache, config

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    config.get_settings.cache_clear()
    cache.reset()
    try:
        response = client.http.get("/api/v1/health/ready")
    finally:
        monkeypatch.undo()
        config.get_settings.cache_clear()
        cache.reset()
    assert response.status_code == 503
    data = body(response)
    assert data["failed"] == ["redis"]
    assert data["components"]["postgres"]["ok"] is True


@pytest.mark.parametrize(("component", "break_it"), [
    ("sqs", lambda sqs, s3, ddb: sqs.delete_queue(
        QueueUrl=sqs.get_queue_url(QueueName="seen-worker-events")["QueueUrl"])),
    ("s3", lambda sqs, s3, ddb: s3.delete_bucket(Bucket="seen-media")),
    ("dynamodb", lambda sqs, s3, ddb: ddb.delete_table(TableName="seen-worker-heartbeats")),
])
def test_ready_names_the_missing_aws_resource(client, component, break_it):
    from chalicelib import aws

    aws.reset()  # forget cached queue URLs, as a new container would
    break_it(aws.client("sqs"), aws.client("s3"), aws.client("dynamodb"))
    response = client.http.get("/api/v1/health/ready")
    assert response.status_code == 503
    assert body(response)["failed"] == [component]


def test_ready_names_postgres_when_the_database_is_gone(client, monkeypatch):
    from chalicelib import config, db

    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:1/seen")
    monkeypatch.setenv("SEEN_DB_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("SEEN_DB_POOL_SIZE", "0")
    config.get_settings.cache_clear()
    db.reset()
    try:
        response = client.http.get("/api/v1/health/ready")
    finally:
        monkeypatch.undo()
        config.get_settings.cache_clear()
        db.reset()
    assert response.status_code == 503
    assert body(response)["failed"] == ["postgres"]


def test_an_aws_success_is_remembered_for_a_moment_and_a_failure_never(client):
    """A probe within ``cache.Ttl.HEALTH`` of a success reports it without calling AWS (a cold start's first
    probe needs no botocore client); a failure is checked again on every probe; past the time, AWS is asked."""
    from chalicelib import aws, cache

    first = body(client.http.get("/api/v1/health/ready"))
    assert "checked" not in first["components"]["s3"]["detail"]
    aws.client("s3").delete_bucket(Bucket="seen-media")
    remembered = client.http.get("/api/v1/health/ready")
    assert remembered.status_code == 200
    assert body(remembered)["components"]["s3"]["detail"].startswith("bucket seen-media reachable (checked ")

    key = cache.Keys.health("s3")
    assert 0 < cache.get_redis().ttl(key) <= cache.Ttl.HEALTH  # remembered for a moment only
    cache.invalidate(key)  # the moment has passed
    assert body(client.http.get("/api/v1/health/ready"))["failed"] == ["s3"]
    assert cache.get_json(key) is None  # a failure is not remembered
    aws.client("s3").create_bucket(Bucket="seen-media")
    assert client.http.get("/api/v1/health/ready").status_code == 200
    assert cache.get_json(key) is not None
