"""The media server sync's read-ahead: a listing read on a thread of its own, in order, errors where they happened."""

from __future__ import annotations

import itertools
import threading

import pytest

from chalicelib.mediaservers.ahead import ahead, chunks


def test_chunks_cut_a_listing_into_lists_and_keep_the_short_tail():
    assert list(chunks(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks(iter([]), 3)) == []


def test_values_arrive_in_order_and_are_read_on_another_thread():
    readers: set[str] = set()

    def source():
        for n in range(50):
            readers.add(threading.current_thread().name)
            yield n

    assert list(ahead(source(), depth=2)) == list(range(50))
    assert readers == {"media-server-listing"}


def test_an_error_in_the_listing_reaches_the_reader_after_what_came_before_it():
    def source():
        yield 1
        yield 2
        raise RuntimeError("page 3 failed")

    got = []
    with pytest.raises(RuntimeError, match="page 3 failed"):
        for value in ahead(source()):
            got.append(value)
    assert got == [1, 2]


def test_a_reader_that_stops_early_stops_the_thread_before_going_on():
    listing = ahead(itertools.count(), depth=2)
    assert [next(listing) for _ in range(3)] == [0, 1, 2]

    listing.close()

    assert not [t for t in threading.enumerate() if t.name == "media-server-listing"]
