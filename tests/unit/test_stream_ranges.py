"""The worker's stream server reads ``Range`` the way players send it."""

import pytest

from worker.stream import ranges

SIZE = 1000


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("", None),
    ("bytes=0-", (0, None)), ("bytes=10-19", (10, 19)), ("bytes=990-5000", (990, 999)),
    ("bytes=-100", (900, 999)), ("bytes=-5000", (0, 999)), ("BYTES = 5 - 9", (5, 9)),
    ("bytes=0-9, 20-29", (0, 9)),  # several ranges: the first only
    ("items=0-9", None), ("bytes=9-0", None), ("bytes=abc", None),  # not understood: serve it whole
])
def test_range_header_is_read_as_players_send_it(header, expected):
    assert ranges.parse(header, SIZE) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_outside_the_file_is_unsatisfiable(header):
    with pytest.raises(ranges.Unsatisfiable):
        ranges.parse(header, SIZE)


@pytest.mark.parametrize("header", [
    f"bytes=-{'9' * 5000}", f"bytes={'9' * 5000}-", f"bytes=0-{'9' * 5000}", f"bytes={'1' * 20}-{'2' * 20}",
    f"bytes=-{'1' * 20}",
])
def test_absurdly_long_numbers_are_unsatisfiable_not_an_error(header):
    """More digits than any file size has: 416, never Python's int digit limit (a 500 before)."""
    with pytest.raises(ranges.Unsatisfiable):
        ranges.parse(header, SIZE)


def test_leading_zeros_do_not_count_as_digits():
    assert ranges.parse(f"bytes={'0' * 5000}5-{'0' * 5000}9", SIZE) == (5, 9)
    assert ranges.parse(f"bytes=0-{'9' * 19}", SIZE) == (0, SIZE - 1)  # as large as a size can be: clamped
