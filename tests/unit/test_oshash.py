"""OpenSubtitles' moviehash, checked against a computation written separately from the spec."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from worker.scanner.oshash import moviehash

KIB64 = 65536


def spec_hash(path: Path) -> str:
    """The reference algorithm word by word: size + each uint64 (LE) of the first and last 64 KiB, mod 2**64."""
    size = path.stat().st_size
    value = size
    with open(path, "rb") as handle:
        for offset in (0, size - KIB64):
            handle.seek(offset)
            block = handle.read(KIB64)
            for index in range(KIB64 // 8):
                (word,) = struct.unpack_from("<q", block, index * 8)  # signed like the C# sample: the sum wraps
                value = (value + word) & 0xFFFFFFFFFFFFFFFF
    return format(value, "016x")


def test_random_file_hash_equals_the_spec_computation(tmp_path):
    path = tmp_path / "movie.mkv"
    path.write_bytes(os.urandom(3 * KIB64 + 12345))
    found = moviehash(path)
    assert found == spec_hash(path)
    assert len(found) == 16 and int(found, 16) >= 0


def test_zero_file_hashes_to_its_size(tmp_path):
    path = tmp_path / "zeros.bin"
    path.write_bytes(bytes(5 * KIB64 + 7))
    assert moviehash(path) == f"{5 * KIB64 + 7:016x}"


def test_sum_wraps_at_64_bits(tmp_path):
    # Every word 0xff..ff: the head and tail add 2 * 8192 * (2**64 - 1), i.e. -16384 modulo 2**64.
    path = tmp_path / "ones.bin"
    size = 2 * KIB64
    path.write_bytes(b"\xff" * size)
    assert moviehash(path) == f"{(size - 16384) % 2**64:016x}"
    assert moviehash(path) == spec_hash(path)


def test_only_head_and_tail_count(tmp_path):
    first, second = tmp_path / "a.bin", tmp_path / "b.bin"
    body = bytearray(os.urandom(4 * KIB64))
    first.write_bytes(body)
    body[2 * KIB64] ^= 0xFF  # the middle: not read
    second.write_bytes(body)
    assert moviehash(first) == moviehash(second)
    body[KIB64 - 1] ^= 0x01  # the last byte of the head
    second.write_bytes(body)
    assert moviehash(first) != moviehash(second)


@pytest.mark.parametrize("size", [0, 1, 2 * KIB64 - 1])
def test_files_under_128_kib_get_no_hash(tmp_path, size):
    path = tmp_path / "small.bin"
    path.write_bytes(b"x" * size)
    assert moviehash(path) is None
