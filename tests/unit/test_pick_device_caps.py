"""deviceCaps as POST /api/v1/picks takes them (issue 37): normalised, hashed stably, optional, bounded."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chalicelib.picks.models import DeviceCaps, PickRequest
from chalicelib.sources.scoring_device import Device


def test_device_caps_are_normalised_so_one_device_has_one_key():
    a = DeviceCaps.model_validate({"video": ["HEVC", "h264", "x265", "mpeg-9"], "audio": ["AAC", "ec-3", "aac"],
                                   "hdr": False, "maxHeight": 1080})
    b = DeviceCaps.model_validate({"video": ["avc1", "hevc"], "audio": ["eac3", "aac"], "maxHeight": 1080})
    assert (a.video, a.audio) == (["h264", "hevc"], ["aac", "eac3"])
    assert a.key() == b.key() and len(a.key()) == 16 and int(a.key(), 16) >= 0
    assert a.key() != a.model_copy(update={"video": ["h264"]}).key()
    assert a.key() != a.model_copy(update={"hdr": True}).key()
    assert a.device() == Device(frozenset({"h264", "hevc"}), frozenset({"aac", "eac3"}), False, 1080)


def test_device_caps_stay_optional_and_bad_ones_are_refused():
    assert PickRequest.model_validate({"mediaId": 1}).device_caps is None
    for bad in ({"video": "h264"}, {"hdr": "yes"}, {"maxHeight": 0}, {"video": ["x" * 33]}, {"speakers": 2},
                {"video": ["h264"] * 33}):
        with pytest.raises(ValidationError):
            PickRequest.model_validate({"mediaId": 1, "deviceCaps": bad})
