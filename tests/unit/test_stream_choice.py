"""Which file Play on a whole download starts: a season pack at its first episode, a film at its largest video."""

from __future__ import annotations

from chalicelib.downloads.streaming import _choose, _playable

MIB = 1024 * 1024


def files(*entries: tuple[str, int]) -> list[dict]:
    return [{"index": i, "path": path, "size": size, "mimeType": "video/mp4"} for i, (path, size) in enumerate(entries)]


def test_a_season_pack_starts_at_its_first_episode_whichever_encode_is_largest():
    pack = files(("Show.S01.720p/Show.S01E03.720p.mkv", 410 * MIB), ("Show.S01.720p/Show.S01E01.720p.mkv", 400 * MIB),
                 ("Show.S01.720p/Show.S01E02.720p.mkv", 420 * MIB), ("Show.S01.720p/Show.S01E01.en.srt", 1000))
    chosen = _choose(_playable(pack, {}), None)
    assert (chosen.season, chosen.episode, chosen.index) == (1, 1, 1)


def test_an_episode_sample_is_passed_over():
    pack = files(("Show.S02.1080p/Sample/Show.S02E01.sample.mkv", 20 * MIB),
                 ("Show.S02.1080p/Show.S02E01.1080p.mkv", 900 * MIB),
                 ("Show.S02.1080p/Show.S02E02.1080p.mkv", 950 * MIB))
    assert _choose(_playable(pack, {}), None).path == "Show.S02.1080p/Show.S02E01.1080p.mkv"


def test_a_film_plays_its_largest_video_not_its_extras():
    film = files(("Heat.1995/Behind.The.Scenes.mkv", 700 * MIB), ("Heat.1995/Heat.1995.1080p.mkv", 8000 * MIB),
                 ("Heat.1995/Heat.1995.sample.mkv", 30 * MIB))
    assert _choose(_playable(film, {}), None).path == "Heat.1995/Heat.1995.1080p.mkv"


def test_a_named_file_is_played_as_asked():
    pack = files(("Show.S01E01.mkv", 400 * MIB), ("Show.S01E02.mkv", 420 * MIB))
    assert _choose(_playable(pack, {}), 1).episode == 2
