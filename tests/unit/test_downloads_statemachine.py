"""The download state machine: the transition table, and what each worker event does to a job."""

import pytest

from chalicelib.downloads.statemachine import (
    ACTIVE,
    MAX_RETRIES,
    TERMINAL,
    TRANSITIONS,
    JobState,
    allowed,
    decide_retry,
    decide_worker_event,
    path,
)
from chalicelib.messages import DownloadState

STATUSES = ACTIVE + TERMINAL

# Every (from, to, actor) that is allowed; everything else is refused.
EXPECTED = {
    ("queued", "preparing", "worker"),
    ("queued", "cancelled", "api"), ("queued", "cancelled", "worker"),
    ("preparing", "downloading", "worker"), ("preparing", "failed", "worker"),
    ("preparing", "stalled", "worker"), ("preparing", "stalled", "reconciler"),
    ("preparing", "cancelled", "api"), ("preparing", "cancelled", "worker"),
    ("downloading", "completed", "worker"), ("downloading", "failed", "worker"),
    ("downloading", "stalled", "worker"), ("downloading", "stalled", "reconciler"),
    ("downloading", "cancelled", "api"), ("downloading", "cancelled", "worker"),
    ("stalled", "retrying", "reconciler"), ("stalled", "failed", "reconciler"),
    ("stalled", "cancelled", "api"), ("stalled", "cancelled", "worker"),
    ("retrying", "preparing", "worker"),
    ("retrying", "cancelled", "api"), ("retrying", "cancelled", "worker"),
}


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
@pytest.mark.parametrize("actor", ["api", "worker", "reconciler"])
def test_transition_table(from_status, to_status, actor):
    assert allowed(from_status, to_status, actor) == ((from_status, to_status, actor) in EXPECTED)


def test_table_covers_every_status_and_terminal_states_have_no_exit():
    assert set(TRANSITIONS) == set(STATUSES)
    for status in TERMINAL:
        assert TRANSITIONS[status] == {}
    for status in ACTIVE:
        assert allowed(status, "cancelled", "api"), status


def test_worker_may_skip_forward_along_its_own_edges_only():
    assert path("queued", "completed", "worker") == ("preparing", "downloading", "completed")
    assert path("retrying", "downloading", "worker") == ("preparing", "downloading")
    assert path("downloading", "preparing", "worker") is None
    assert path("stalled", "downloading", "worker") is None  # only a retry leaves stalled
    assert path("queued", "retrying", "reconciler") is None


def job(status="downloading", attempt=2, progress=40.0, bytes_done=400, bytes_total=1000, retry_count=0):
    return JobState(status, attempt, progress, bytes_done, bytes_total, retry_count)


def event(status="downloading", attempt=2, progress=50.0, bytes_done=500, bytes_total=1000, **extra):
    return DownloadState(job_id="j", attempt=attempt, status=status, progress=progress, bytes_done=bytes_done,
                         bytes_total=bytes_total, **extra)


def test_event_of_an_older_attempt_is_stale():
    decision = decide_worker_event(job(), event(status="completed", attempt=1, progress=100))
    assert (decision.kind, decision.reason) == ("ignore", "stale_attempt")


def test_redelivered_event_is_a_duplicate():
    state = job(progress=50.0, bytes_done=500)
    assert decide_worker_event(state, event()).reason == "duplicate"


def test_same_status_with_more_progress_updates_progress_only():
    decision = decide_worker_event(job(), event(progress=70, bytes_done=700))
    assert (decision.kind, decision.status, decision.progress, decision.bytes_done) == (
        "progress", "downloading", 70.0, 700)


def test_progress_and_bytes_never_go_backwards():
    decision = decide_worker_event(job(status="preparing", progress=60, bytes_done=600),
                                   event(status="downloading", progress=10, bytes_done=100))
    assert decision.kind == "transition"
    assert (decision.progress, decision.bytes_done) == (60.0, 600)


def test_completed_means_one_hundred_percent():
    decision = decide_worker_event(job(), event(status="completed", progress=99.5, bytes_done=995))
    assert (decision.status, decision.progress, decision.bytes_done) == ("completed", 100.0, 1000)


def test_out_of_order_delivery_skips_forward_and_records_what_was_skipped():
    decision = decide_worker_event(job(status="queued", attempt=1, progress=0, bytes_done=0),
                                   event(status="downloading", attempt=1))
    assert decision.kind == "transition" and decision.skipped == ("preparing",)
    late_preparing = decide_worker_event(job(status="downloading", attempt=1), event(status="preparing", attempt=1))
    assert late_preparing.reason == "not_allowed"


@pytest.mark.parametrize("status", TERMINAL)
def test_a_terminal_job_ignores_every_event(status):
    assert decide_worker_event(job(status=status), event(status="downloading")).reason == "terminal"


def test_worker_cannot_retry_its_own_stall():
    assert decide_worker_event(job(status="stalled"), event(status="downloading")).reason == "not_allowed"


def test_retry_decision_caps_at_max_retries():
    assert decide_retry(job(status="stalled", retry_count=0)) == "retrying"
    assert decide_retry(job(status="stalled", retry_count=MAX_RETRIES - 1)) == "retrying"
    assert decide_retry(job(status="stalled", retry_count=MAX_RETRIES)) == "failed"
    assert decide_retry(job(status="downloading")) is None
