"""The nesting check every remote's JSON answer goes through, against decoding the same answer.

Subject: ``jsondepth.nests_deeper`` over a 20k-item Jellyfin ``/Items`` page (~32 MB: each item with its
provider ids, user data, image tags and a media source with three streams; one overview in ten quotes a title,
so the escaped-quote path runs). Reference: ``json.loads`` of the same bytes, which every such answer costs
anyway (orjson, the media server sync's decoder, is reported beside it). Goal: the check costs at most a third
of the decode. Nothing here asserts.
"""

from __future__ import annotations

import json

from .conftest import bench_size, benchmark_stats, measure, paired


def _item(n: int) -> dict:
    quoted = ' The "Director\'s Cut" [restored].' if n % 10 == 0 else ""
    return {
        "Name": f"Episode {n}", "ServerId": "a" * 32, "Id": f"{n:032x}", "Container": "mkv",
        "PremiereDate": "2020-01-01T00:00:00.0000000Z", "RunTimeTicks": 13_000_000_000, "ProductionYear": 2020,
        "IndexNumber": n % 24, "ParentIndexNumber": 1, "IsFolder": False, "Type": "Episode",
        "Path": f"/media/shows/Show/Season 01/Show - S01E{n % 24:02d}.mkv",
        "Overview": "A long overview of what happens in this episode, as TMDB wrote it. " * 4 + quoted,
        "ProviderIds": {"Tmdb": str(n), "Imdb": f"tt{n:07d}", "Tvdb": str(n * 3)},
        "UserData": {"PlaybackPositionTicks": 0, "PlayCount": 1, "IsFavorite": False, "Played": True,
                     "Key": str(n), "LastPlayedDate": "2024-05-01T20:00:00.0000000Z"},
        "ImageTags": {"Primary": "b" * 32, "Thumb": "c" * 32}, "BackdropImageTags": ["d" * 32],
        "MediaSources": [{"Protocol": "File", "Id": "e" * 32, "Path": "/media/x.mkv", "Container": "mkv",
                          "MediaStreams": [{"Codec": "h264", "Type": "Video", "Index": 0, "Width": 1920},
                                           {"Codec": "aac", "Type": "Audio", "Index": 1, "Language": "eng"},
                                           {"Codec": "subrip", "Type": "Subtitle", "Index": 2, "Language": "eng"}]}],
        "SeriesName": "Show", "SeriesId": "f" * 32, "LocationType": "FileSystem", "MediaType": "Video",
    }


def test_depth_check_of_a_20k_item_jellyfin_page_vs_decoding_it(benchmark, report):
    import orjson

    from chalicelib import jsondepth

    items = bench_size(20_000, 200)
    page = json.dumps({"Items": [_item(n) for n in range(items)], "TotalRecordCount": items,
                       "StartIndex": 0}).encode()
    assert jsondepth.nests_deeper(page) is False
    reference = paired(benchmark, lambda: jsondepth.nests_deeper(page), {"json": lambda: json.loads(page)},
                       rounds=5, warmup=1)["json"]
    stats = benchmark_stats(benchmark)
    fast = measure(lambda: orjson.loads(page), rounds=5, warmup=1)
    report.ratio(f"remote JSON: depth check of a {items}-item Jellyfin page ({len(page) >> 20} MB) vs json.loads",
                 stats, reference, subject_label="jsondepth.nests_deeper", reference_label="json.loads",
                 goal=0.33, check_mb_per_s=round(len(page) / 2**20 / stats["median"], 1),
                 vs_orjson=round(stats["median"] / fast["median"], 3))
