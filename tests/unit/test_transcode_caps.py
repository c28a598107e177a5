"""The media loop's caps (issue 33, item 6): read in one place, shared by the API and the worker."""

import pytest

from chalicelib.config import ConfigError, TranscodeSettings


def test_the_caps_default_to_two_jobs_and_two_per_user():
    settings = TranscodeSettings.from_env({})
    assert (settings.concurrency, settings.per_user) == (2, 2)


def test_the_caps_are_read_from_the_environment():
    settings = TranscodeSettings.from_env({"SEEN_TRANSCODE_CONCURRENCY": "3", "SEEN_TRANSCODE_PER_USER": "1"})
    assert (settings.concurrency, settings.per_user) == (3, 1)


@pytest.mark.parametrize("name", ["SEEN_TRANSCODE_CONCURRENCY", "SEEN_TRANSCODE_PER_USER"])
@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_cap_that_would_stop_every_transcode_is_refused(name, value):
    with pytest.raises(ConfigError, match=name):
        TranscodeSettings.from_env({name: value})
