"""Library pieces without services: confidence rules, episode placement, probe summaries,
subtitle languages, remux decisions, the walk (symlinks, roots) and the settings."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from chalicelib.config import ConfigError, Settings, WorkerSettings
from chalicelib.library import matching, views
from worker import subtitles
from worker.scanner import probe, remux, walk
from worker.scanner.index import media_key, subtitle_key, variant_key


def movie(title, year, media_type="movie", original=None):
    return {"title": title, "year": year, "media_type": media_type, "original_title": original}


def name(**fields):
    return matching.ParsedName(**fields)


def test_confidence_rules():
    matrix = movie("The Matrix", 1999)
    assert matching.confidence(name(title="The Matrix", year=1999, type="movie"), matrix) == 1.0
    assert matching.confidence(name(title="the.matrix", type="movie"), matrix) == 0.9  # no year to disagree
    assert matching.confidence(name(title="The Matrix", year=2000, type="movie"), matrix) == 0.93
    assert matching.confidence(name(title="The Matrix", year=2003, type="movie"), matrix) == 0.65
    assert matching.confidence(name(title="The Matrix", year=1999, type="episode"), matrix) == 0.7
    assert matching.confidence(name(title="Matrix", year=1999, type="movie"), matrix) == 1.0  # article ignored
    assert matching.confidence(name(title="Leon The Professional", year=1994),
                               movie("Léon: The Professional", 1994)) == 1.0
    show = movie("Breaking Bad", 2008, "show")
    assert matching.confidence(name(title="Breaking Bad", type="episode"), show, "found") == 1.0
    assert matching.confidence(name(title="Breaking Bad", type="episode"), show, "missing") == 0.65


def test_a_near_tie_is_not_matched():
    close = [{"mediaId": 1, "episodeId": None, "confidence": 0.9}, {"mediaId": 2, "episodeId": None,
                                                                     "confidence": 0.89}]
    outcome = matching.decide(close, 0.8)
    assert (outcome.state, outcome.confidence) == ("unmatched", 0.75)
    clear = matching.decide([{"mediaId": 1, "episodeId": 5, "confidence": 0.95}], 0.8)
    assert (clear.state, clear.media_id, clear.episode_id) == ("matched", 1, 5)
    assert matching.decide([], 0.8).state == "unmatched"


def episodes(*seasons):
    rows, next_id = [], 1
    for season, count in seasons:
        for number in range(1, count + 1):
            rows.append({"id": next_id, "season_number": season, "episode_number": number, "absolute_number": None,
                         "air_date": date(2020, 1, 1 + (next_id % 28))})
            next_id += 1
    return rows


@pytest.mark.parametrize(("fields", "where"), [
    ({"season": 2, "episode": 3}, (2, 3)),
    ({"absolute": 30, "season": 2}, (2, 6)),  # JJK: season 1 has 24
    ({"absolute": 5, "season": 2}, (2, 5)),  # "Show - 05" in Season 2 counts within the season
    ({"absolute": 30}, (2, 6)),
    ({"episode": 7}, (1, 7)),
    ({"episode": 30}, (2, 6)),  # no season: not in season 1, so absolute
])
def test_episode_placement(fields, where):
    rows = episodes((0, 2), (1, 24), (2, 23))
    found = matching._pick_episode(rows, name(**fields))
    assert (found["season_number"], found["episode_number"]) == where


def test_episode_placement_prefers_stored_absolute_numbers_and_air_dates():
    rows = episodes((1, 3), (2, 3))
    rows[4]["absolute_number"] = 100
    assert matching._pick_episode(rows, name(absolute=100))["id"] == rows[4]["id"]
    assert matching._pick_episode(rows, name(air_date=rows[2]["air_date"]))["id"] == rows[2]["id"]
    assert matching._pick_episode(rows, name(season=9, episode=1)) is None


def test_a_guess_of_the_wrong_shape_reads_as_empty_fields():
    parsed = matching.ParsedName.from_guess({"title": 5, "year": "1999", "season": True, "episodes": [1, "2", 3],
                                             "airDate": "not a date", "type": "documentary"})
    assert parsed == matching.ParsedName(last_episode=3)
    assert matching.ParsedName.from_guess(None) == matching.ParsedName()


def test_resolution_names():
    assert views.resolution(1920, 800) == "1080p"
    assert views.resolution(3840, 2160) == "2160p"
    assert views.resolution(1280, 720) == "720p"
    assert views.resolution(320, 240) == "240p"
    assert views.resolution(None, 1080) is None


FFPROBE = {
    "format": {"format_name": "matroska,webm", "duration": "5400.5", "bit_rate": "8000000"},
    "streams": [
        {"index": 0, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080},
        {"index": 1, "codec_type": "audio", "codec_name": "aac", "tags": {"language": "eng"}},
        {"index": 2, "codec_type": "audio", "codec_name": "ac3", "tags": {"LANGUAGE": "ger"}},
        {"index": 3, "codec_type": "subtitle", "codec_name": "subrip", "tags": {"language": "fre", "title": "FR"},
         "disposition": {"default": 1, "forced": 0}},
        {"index": 4, "codec_type": "subtitle", "codec_name": "hdmv_pgs_subtitle"},
        {"index": 5, "codec_type": "video", "codec_name": "mjpeg", "disposition": {"attached_pic": 1}},
    ],
}


def test_probe_summary():
    summary = probe.summarise(FFPROBE, ".mkv")
    assert (summary["container"], summary["duration"], summary["width"], summary["videoCodec"]) == (
        "mkv", 5400.5, 1920, "h264")
    assert (summary["audioCodecs"], summary["audioLanguages"]) == (["aac", "ac3"], ["eng", "ger"])
    assert [(s["index"], s["text"], s["language"]) for s in summary["subtitles"]] == [(3, True, "fre"),
                                                                                     (4, False, "und")]
    assert probe.container_of("mov,mp4,m4a,3gp,3g2,mj2", ".m4v") == "mp4"
    assert probe.container_of("mov,mp4,m4a,3gp,3g2,mj2", ".mov") == "mov"
    assert probe.container_of("matroska,webm", ".webm") == "webm"


def test_probing_a_missing_binary_or_a_junk_file_is_a_flag_not_an_exception(tmp_path):
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(os.urandom(2048))
    assert probe.probe(junk, ffprobe="/nonexistent/ffprobe").error.startswith("ffprobe not found")
    result = probe.probe(junk)
    assert result.summary is None and result.error


def test_an_answer_nested_100k_deep_is_a_flag_not_a_recursion_error(tmp_path):
    """What the scanner parses is a tool's answer about a stranger's file: a stand-in ffprobe (a real one cannot
    be made to nest its JSON) prints 100k levels; the file is flagged unreadable, the worker goes on."""
    path = tmp_path / "Movie (2010).mkv"
    path.write_bytes(b"\0" * 64)
    answer = tmp_path / "answer.json"
    answer.write_bytes(b'{"streams": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    ffprobe = tmp_path / "ffprobe"
    ffprobe.write_text(f"#!/bin/sh\ncat {answer}\n")
    ffprobe.chmod(0o755)
    result = probe.probe(path, ffprobe=str(ffprobe))
    assert result.summary is None and result.error == "ffprobe exited with 0"


@pytest.mark.parametrize("case", ["empty", "directory", "vanished"])
def test_empty_or_unopenable_files_are_flagged_without_starting_ffprobe(tmp_path, case):
    path = tmp_path / "Movie (2010).mkv"
    if case == "empty":
        path.touch()
    elif case == "directory":
        path.mkdir()  # stat works, open does not
    # "/nonexistent/ffprobe" would answer "ffprobe not found" if it were started
    result = probe.probe(path, ffprobe="/nonexistent/ffprobe")
    assert result.summary is None
    if case == "empty":
        assert (result.error, result.readable) == ("empty file", True)  # zero bytes are still stored
    else:
        assert result.error.startswith("unreadable: ") and not result.readable


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_a_file_without_read_permission_is_flagged_unreadable(tmp_path):
    path = tmp_path / "Movie (2010).mkv"
    path.write_bytes(b"\0" * 64)
    path.chmod(0)
    result = probe.probe(path, ffprobe="/nonexistent/ffprobe")
    assert (result.error, result.readable) == ("unreadable: Permission denied", False)


def test_the_name_parser_loads_without_guessit_or_the_database_layer():
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = ("import sys; from chalicelib.library import naming; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('guessit', 'psycopg', 'psycopg_pool') "
            "or m.startswith('chalicelib.db')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr
    from chalicelib.library import naming
    from worker.scanner import index, walk

    assert index.parse is naming.parse and walk.MEDIA_EXTENSIONS is naming.MEDIA_EXTENSIONS  # one parser


def test_remux_decisions_and_mime_types():
    mkv = {"container": "mkv", "videoCodec": "h264", "audioCodecs": ["aac"]}
    assert remux.needs_remux(mkv) and not remux.browser_playable(mkv)
    assert not remux.needs_remux({**mkv, "videoCodec": "hevc"})
    assert not remux.needs_remux({**mkv, "audioCodecs": ["aac", "dts"]})
    assert not remux.needs_remux({**mkv, "container": "mp4"}) and remux.browser_playable({**mkv, "container": "mp4"})
    assert not remux.needs_remux(None)
    assert not remux.needs_remux({**mkv, "pixFmt": "yuv420p10le"})  # 10-bit H.264: a copy would not play
    assert remux.converts_audio(["aac", "flac"]) and not remux.converts_audio(["aac", "mp3", "opus"])
    two = {"audioCodecs": ["aac", "ac3"], "audioDefault": 1}
    assert remux.audio_maps(two) == ["-map", "0:a:1", "-map", "0:a:0"]
    assert remux.audio_maps(two, every=False) == ["-map", "0:a:1"]
    assert remux.audio_maps(None, every=False) == ["-map", "0:a:0?"]


@pytest.mark.parametrize(("code", "title", "tag", "label"), [
    ("ger", None, "de", "German"),
    ("eng", "SDH", "en", "English · SDH"),
    ("eng", "English", "en", "English"),
    ("und", "Commentary", "und", "Commentary"),
    (None, None, "und", None),
])
def test_embedded_subtitle_tracks_are_labelled_by_language_then_title(code, title, tag, label):
    found = subtitles.embedded_language(code, title)
    assert (found.tag, found.label) == (tag, label)
    assert remux.mime_type("mkv") == "video/x-matroska" and remux.mime_type(None) == "application/octet-stream"


@pytest.mark.parametrize(("subtitle", "tag", "label", "forced"), [
    ("Movie (2010).en.srt", "en", "English", False),
    ("Movie (2010).eng.forced.srt", "en", "English (forced)", True),
    ("Movie (2010).pt-BR.srt", "pt-BR", "Portuguese", False),
    ("Movie (2010).German.sdh.ass", "de", "German (SDH)", False),
    ("Movie (2010).srt", "und", None, False),
    ("2_English.srt", "en", "English", False),  # Subs/ folder of a release
    ("Movie (2010).xx-nonsense.srt", "und", None, False),
])
def test_sidecar_languages(subtitle, tag, label, forced):
    language = subtitles.sidecar_language("Movie (2010)", Path(subtitle))
    assert (language.tag, language.label, language.forced) == (tag, label, forced)


def test_sidecar_conversion_to_webvtt_and_junk(tmp_path):
    srt = tmp_path / "a.srt"
    srt.write_bytes("1\n00:00:01,000 --> 00:00:02,500\nCafé\n".encode("cp1252"))
    vtt = subtitles.to_webvtt(srt)
    assert vtt.startswith("WEBVTT") and "00:00:01.000 --> 00:00:02.500" in vtt and "Café" in vtt
    junk = tmp_path / "b.srt"
    junk.write_bytes(os.urandom(300))
    with pytest.raises(subtitles.SubtitleError):
        subtitles.to_webvtt(junk)


def test_the_walk_skips_symlinks_hidden_files_samples_and_non_media(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "Movies").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.mkv").write_bytes(b"x")
    for rel in ("Movies/A (2000).mkv", "Movies/A (2000).en.srt", "Movies/.hidden.mkv", "Movies/a-sample.mkv",
                "Movies/notes.txt", ".trash/B.mkv", "Movies/Subs/English.srt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x")
    (root / "Movies/link.mkv").symlink_to(outside / "secret.mkv")
    (root / "linked-dir").symlink_to(outside, target_is_directory=True)
    [the_root] = walk.make_roots([str(root)])
    found = list(walk.walk(the_root))
    assert [c.rel for c in found] == ["Movies/A (2000).mkv"]
    assert [p.name for p in found[0].sidecars] == ["A (2000).en.srt", "English.srt"]
    assert not walk.inside(root / "Movies/link.mkv", root.resolve())


def test_root_labels_are_unique_and_keys_are_stable(tmp_path):
    (tmp_path / "a" / "media").mkdir(parents=True)
    (tmp_path / "b" / "media").mkdir(parents=True)
    (tmp_path / "films").mkdir()
    labels = [r.label for r in walk.make_roots([str(tmp_path / "a/media"), str(tmp_path / "b/media"),
                                                str(tmp_path / "films")])]
    assert labels[2] == "films" and labels[0] != labels[1] and all(label.startswith("media-") for label in labels[:2])
    assert media_key("films", "X (2000)/X.mkv") == "media/films/X (2000)/X.mkv"
    assert media_key("films", "x" * 2000 + ".mkv").startswith("media/films/_long/")
    assert variant_key("media/films/X.mkv") == "media/films/X.mkv.stream.mp4"
    assert subtitle_key("media/films/X.mkv", 1, "pt-BR") == "media/films/X.mkv.subs/01.pt-BR.vtt"


def test_scan_state_remembers_signatures_and_prunes_vanished_files(tmp_path):
    file = tmp_path / "root" / "A.mkv"
    file.parent.mkdir()
    file.write_bytes(b"abc")
    [root] = walk.make_roots([str(tmp_path / "root")])
    state = walk.ScanState(tmp_path / "state.sqlite")
    [candidate] = list(walk.walk(root))
    assert not state.unchanged(candidate)
    state.record(candidate, "media/root/A.mkv")
    assert state.unchanged(candidate)
    file.write_bytes(b"abcd")
    [changed] = list(walk.walk(root))
    assert not state.unchanged(changed)
    assert state.prune(root.path, seen=set()) == 1 and state.count() == 0
    state.close()


def test_library_settings_parse_and_refuse_bad_values():
    settings = Settings.from_env({"SEEN_STREAM_URL_TTL": "600", "SEEN_LIBRARY_MATCH_THRESHOLD": "0.9"})
    assert (settings.library.stream_url_ttl, settings.library.match_threshold) == (600, 0.9)
    worker = WorkerSettings.from_env({"LIBRARY_ROOTS": "/a, /b", "LIBRARY_IMPORT_MODE": "MOVE"})
    assert (worker.library.roots, worker.library.import_mode) == (("/a", "/b"), "move")
    for env in ({"SEEN_STREAM_URL_TTL": "10"}, {"SEEN_STREAM_URL_TTL": "9999999"},
                {"SEEN_LIBRARY_MATCH_THRESHOLD": "1.5"}):
        with pytest.raises(ConfigError):
            Settings.from_env(env)
    with pytest.raises(ConfigError, match="LIBRARY_IMPORT_MODE"):
        WorkerSettings.from_env({"LIBRARY_IMPORT_MODE": "copy-then-delete"})


def test_rescan_paths_resolve_inside_a_root_or_are_refused(tmp_path):
    import logging

    from worker.context import WorkerContext
    from worker.scanner.loop import Scanner

    real, outside = tmp_path / "real", tmp_path / "outside"
    (real / "Movies").mkdir(parents=True)
    outside.mkdir()
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    (real / "escape").symlink_to(outside, target_is_directory=True)
    settings = WorkerSettings.from_env({"LIBRARY_ROOTS": str(tmp_path / "link"), "SEEN_STAGING_DIR": str(tmp_path)})
    scanner = Scanner(WorkerContext(settings=settings, s3=None, sqs=None, logger=logging.getLogger("test")))
    label = scanner.roots[0].label
    assert scanner._resolve(str(tmp_path / "link" / "Movies"))[1] == real / "Movies"
    assert scanner._resolve(f"{label}/Movies")[1] == real / "Movies"
    for refused in ("/etc", str(real / "escape"), f"{label}/escape", "other/Movies"):
        assert scanner._resolve(refused) is None, refused
    scanner.state.close()
