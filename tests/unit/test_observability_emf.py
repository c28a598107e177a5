"""In Lambda every metric is one CloudWatch EMF line on stdout (Powertools), with its name, unit and dimensions;
outside Lambda nothing is printed (prometheus-client counts instead). The admin view's percentiles come from
the histogram buckets."""

from __future__ import annotations

import json

import pytest

from chalicelib import observability
from chalicelib.config.observability import get_observability_settings
from chalicelib.observability import names, window


@pytest.fixture
def in_lambda(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "seen-api-dev")
    get_observability_settings.cache_clear()
    yield
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    get_observability_settings.cache_clear()


def emf_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{") and '"_aws"' in line]


def only_metric(line: dict) -> tuple[str, str, str, list[list[str]]]:
    [directive] = line["_aws"]["CloudWatchMetrics"]
    [metric] = directive["Metrics"]
    return directive["Namespace"], metric["Name"], metric["Unit"], directive["Dimensions"]


def test_in_lambda_each_record_is_an_emf_line_with_its_name_unit_and_value(in_lambda, capsys):
    observability.observe("search_latency_ms", 182.5)
    observability.count("buffer_events_total")
    observability.count("resume_success_total", 2)
    observability.ratio("prefetch_hit_ratio", hit=True)
    observability.ratio("prefetch_hit_ratio", hit=False)
    lines = emf_lines(capsys.readouterr().out)

    assert [only_metric(line)[1:3] for line in lines] == [
        ("search_latency_ms", "Milliseconds"), ("buffer_events_total", "Count"), ("resume_success_total", "Count"),
        ("prefetch_hit_ratio", "Percent"), ("prefetch_hit_ratio", "Percent")]
    assert [line[only_metric(line)[1]] for line in lines] == [[182.5], [1.0], [2.0], [100.0], [0.0]]
    assert {only_metric(line)[0] for line in lines} == {"seen"}
    assert all(line["service"] == "seen-api" and isinstance(line["_aws"]["Timestamp"], int) for line in lines)


def test_a_request_is_recorded_per_route_and_an_error_only_for_a_5xx(in_lambda, capsys):
    observability.http_request("/api/v1/dashboard", "GET", 200, 41.0)
    observability.http_request("/api/v1/sources", "GET", 503, 12.0)
    lines = emf_lines(capsys.readouterr().out)

    recorded = [(only_metric(line)[1], line.get("route"), line.get("method")) for line in lines]
    assert recorded == [
        ("http_request_latency_ms", "/api/v1/dashboard", "GET"), ("http_requests_total", "/api/v1/dashboard", "GET"),
        ("http_request_latency_ms", "/api/v1/sources", "GET"), ("http_requests_total", "/api/v1/sources", "GET"),
        ("http_request_errors_total", "/api/v1/sources", "GET")]
    assert only_metric(lines[0])[3] == [["service", "route", "method"]]


def test_outside_lambda_nothing_is_printed(capsys):
    get_observability_settings.cache_clear()
    observability.observe("score_latency_ms", 3.0)
    assert emf_lines(capsys.readouterr().out) == []


def test_a_timed_function_is_observed_also_when_it_raises(in_lambda, capsys):
    @observability.timed("score_latency_ms")
    def rank() -> None:
        raise ValueError("bad candidate")

    with pytest.raises(ValueError):
        rank()
    [line] = emf_lines(capsys.readouterr().out)
    assert only_metric(line)[1] == "score_latency_ms" and line["score_latency_ms"][0] >= 0


def test_an_unknown_metric_name_is_a_programming_error():
    with pytest.raises(KeyError):
        observability.count("no_such_metric_total")


@pytest.mark.parametrize(("counts", "q", "expected"), [
    ([0] * 14, 0.5, 0.0),  # nothing happened
    ([0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5, 75.0),  # ten in (50, 100]: the middle of the bucket
    ([0, 0, 0, 0, 0, 0, 0, 9, 1, 0, 0, 0, 0, 0], 0.95, 1750.0),  # the tenth in (1000, 2500]
    ([0] * 13 + [4], 0.95, 60000.0),  # past the last bound: the bound
])
def test_percentiles_come_from_the_histogram_buckets(counts, q, expected):
    assert len(counts) == len(names.LATENCY_BUCKETS_MS) + 1
    assert window.percentile(counts, q) == expected
