"""The worker's caps on waiting stream requests: per URL, per user, in all; 429 beyond them, freed on exit."""

import pytest

from worker.stream.waits import Busy, Waits


def test_each_cap_refuses_the_request_beyond_it_with_a_retry_hint():
    waits = Waits(per_url=2, per_user=3, total=4)
    with waits.hold("url-a", "alice"), waits.hold("url-a", "alice"):
        with pytest.raises(Busy, match="this stream URL") as refused:
            waits.hold("url-a", "alice").__enter__()
        assert refused.value.status == 429 and refused.value.retry_after >= 1
        with waits.hold("url-b", "alice"):
            with pytest.raises(Busy, match="your stream requests"):
                waits.hold("url-c", "alice").__enter__()
            # another user is let in, up to the total
            with waits.hold("url-d", "bob"), pytest.raises(Busy, match="on this server"):
                waits.hold("url-e", "carol").__enter__()
    assert (waits.count, dict(waits.urls), dict(waits.users)) == (0, {}, {})


def test_a_wait_that_ends_in_an_error_frees_its_place():
    waits = Waits(per_url=1, per_user=1, total=1)
    with pytest.raises(RuntimeError), waits.hold("url-a", "alice"):
        raise RuntimeError("cancelled: the player hung up")
    with waits.hold("url-a", "alice"):
        assert waits.count == 1


def test_untagged_urls_share_no_user_cap():
    """URLs minted before the user claim have no user: only their URL's and the total cap apply."""
    waits = Waits(per_url=1, per_user=1, total=10)
    with waits.hold("old-1", ""), waits.hold("old-2", ""), waits.hold("old-3", ""):
        assert waits.count == 3
