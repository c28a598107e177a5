"""The yt-dlp engine on loopback: a local "video site" (an HTML5 page and a real H.264/AAC mp4), no internet."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from chalicelib.config import EngineSettings
from chalicelib.logs import worker_logger
from embedded.testpeers import Faults, FileServer, sha256_file
from tests.integration.downloads_support import failure, wait
from worker.engines.base import JobSpec, PermanentError, TransientError
from worker.engines.video import TEMP_DIR, VideoEngine

VIDEO_ID = "abc123XYZ_0"
TITLE = "Seen Test Clip"
SETTINGS = EngineSettings(allow_private=True, http_retries=1, http_timeout=5)
LOGGER = worker_logger("WARNING")


def page(media_src: str | None, title: str = TITLE) -> str:
    video = f'<video controls><source src="{media_src}" type="video/mp4"></video>' if media_src else "<p>Hello</p>"
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{video}</body></html>"


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    """2 s of H.264 + AAC, padded to a constant 8 Mbit/s (~2 MB) so a throttled server sends it in several chunks."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    path = tmp_path_factory.mktemp("clip") / f"{VIDEO_ID}.mp4"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
                    "-f", "lavfi", "-i", "sine=duration=2",
                    "-c:v", "libx264", "-b:v", "8M", "-minrate", "8M", "-maxrate", "8M", "-bufsize", "2M",
                    "-x264-params", "nal-hrd=cbr", "-c:a", "aac", "-shortest", str(path)],
                   check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def dash(clip) -> Path:
    """The clip as DASH: video and audio in separate representations, each an init segment and fragments."""
    folder = clip.parent / "dash"
    folder.mkdir()
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(clip), "-map", "0:v", "-map", "0:a", "-c", "copy",
                    "-f", "dash", "-seg_duration", "1", "-adaptation_sets", "id=0,streams=v id=1,streams=a",
                    str(folder / "manifest.mpd")], check=True, timeout=60)
    return folder


@pytest.fixture
def site(tmp_path, clip, dash):
    """``/watch?v=<id>`` is a page playing ``/media/<id>.mp4`` (FileServer ignores the query)."""
    root = tmp_path / "www"
    (root / "media").mkdir(parents=True)
    shutil.copy(clip, root / "media" / clip.name)
    shutil.copytree(dash, root / "dash")
    (root / "watch").write_text(page(f"/media/{clip.name}"))
    (root / "empty").write_text(page(None))
    server = FileServer(root)
    engine = VideoEngine(SETTINGS, LOGGER)
    yield server, engine
    engine.close()
    server.close()


def spec(tmp_path: Path, job_id: str, source: str) -> JobSpec:
    workdir = tmp_path / "jobs" / job_id
    workdir.mkdir(parents=True, exist_ok=True)
    return JobSpec(job_id, 1, "video", source, None, workdir)


def watch_url(server: FileServer, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{server.port}/watch?v={VIDEO_ID}"


def test_video_page_downloads_the_served_file_into_data(tmp_path, site, clip):
    server, engine = site
    job = spec(tmp_path, "v1", watch_url(server))
    engine.add(job)
    done = wait(engine, "v1")
    [file] = engine.files(job)
    assert sha256_file(file.local) == sha256_file(clip)
    assert TITLE in file.path and VIDEO_ID in file.path and file.path.endswith(".mp4")
    assert file.local.parent == job.data_dir
    assert (done.bytes_done, done.bytes_total, done.percent) == (clip.stat().st_size, clip.stat().st_size, 100.0)
    assert [(p.path, p.size) for p in engine.payload("v1") or []] == [(file.path, clip.stat().st_size)]
    assert not any((job.workdir / TEMP_DIR).rglob("*"))  # nothing left half-written


def test_status_reports_bytes_moving_while_downloading(tmp_path, site, clip):
    server, engine = site
    server.faults = Faults(rate=1024 * 1024)  # ~2 s for the clip, in 256 KiB chunks
    engine.add(spec(tmp_path, "v2", watch_url(server)))
    seen = []
    while (progress := engine.status("v2")).phase != "finished":
        if progress.phase == "downloading":
            seen.append((progress.bytes_done, progress.bytes_total))
            assert engine.payload("v2") is None  # no file to upload or stream before the finish
        time.sleep(0.05)
    done = [d for d, _ in seen]
    assert done == sorted(done) and len(set(done)) >= 3, seen
    assert {total for _, total in seen} == {clip.stat().st_size}
    assert 0 < done[0] < clip.stat().st_size


def test_separate_video_and_audio_are_merged_into_one_mp4_with_a_steady_percentage(tmp_path, site):
    """A DASH page: yt-dlp picks H.264 video + AAC audio, fetches their fragments one part after the other, and
    ffmpeg merges them; the percentage counts both parts and never goes backwards."""
    server, engine = site
    (server.root / "watch").write_text(page("/dash/manifest.mpd").replace("video/mp4", "application/dash+xml"))
    server.faults = Faults(rate=1024 * 1024)
    job = spec(tmp_path, "v10", watch_url(server))
    engine.add(job)
    percents = []
    while (progress := engine.status("v10")).phase != "finished":
        percents.append(progress.percent)
        time.sleep(0.05)
    assert percents == sorted(percents) and 0 < max(percents) < 100, percents
    [file] = engine.files(job)  # the merged file only, not the parts
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                            str(file.local)], capture_output=True, text=True, check=True, timeout=30)
    assert sorted(probe.stdout.split()) == ["aac", "h264"] and file.path.endswith(".mp4")
    fetched = {r.path for r in server.requests}
    assert {"/dash/init-stream0.m4s", "/dash/init-stream1.m4s"} <= fetched
    assert not any((job.workdir / TEMP_DIR).rglob("*"))


def test_private_address_is_refused_before_anything_is_fetched(tmp_path, site):
    server, _ = site
    strict = VideoEngine(EngineSettings(allow_private=False), LOGGER)
    strict.add(spec(tmp_path, "v3", watch_url(server)))
    caught = failure(strict, "v3")
    strict.close()
    assert isinstance(caught, PermanentError) and caught.code == "url_not_allowed"
    assert server.requests == []


def test_media_url_on_a_blocked_address_is_refused_before_its_download(tmp_path, site):
    """The page is fine, the video it names is on 0.0.0.0 (the machine itself, refused even with private allowed)."""
    server, engine = site
    (server.root / "watch").write_text(page(f"http://0.0.0.0:{server.port}/media/{VIDEO_ID}.mp4"))
    engine.add(spec(tmp_path, "v4", watch_url(server)))
    caught = failure(engine, "v4")
    assert isinstance(caught, PermanentError) and caught.code == "url_not_allowed"
    assert [r.path for r in server.requests] == [f"/watch?v={VIDEO_ID}"]


def test_redirect_inside_yt_dlp_to_a_blocked_address_is_refused(tmp_path, site):
    """yt-dlp follows redirects itself: the pinned resolver refuses the hop's address at connect time."""
    server, engine = site
    (server.root / "watch").write_text(page("/media/alias.mp4"))
    server.faults = Faults(redirects={"/media/alias.mp4": f"http://0.0.0.0:{server.port}/media/{VIDEO_ID}.mp4"})
    job = spec(tmp_path, "v5", watch_url(server))
    engine.add(job)
    caught = failure(engine, "v5")
    assert isinstance(caught, PermanentError) and caught.code == "url_not_allowed"
    assert "/media/alias.mp4" in [r.path for r in server.requests]
    assert not [r for r in server.requests if (r.host or "").startswith("0.0.0.0")]  # the refused hop
    assert engine.files(job) == []


@pytest.mark.parametrize("path, fault, error, code", [
    (f"/gone?v={VIDEO_ID}", None, PermanentError, "video_unavailable"),
    ("/watch", Faults(status=410), PermanentError, "video_unavailable"),
    ("/empty", None, PermanentError, "video_unsupported"),
    ("/watch", Faults(status=503), TransientError, "video_network"),
])
def test_video_failures_are_transient_or_permanent(tmp_path, site, path, fault, error, code):
    server, engine = site
    if fault is not None:
        server.faults = fault
    engine.add(spec(tmp_path, "v6", f"http://127.0.0.1:{server.port}{path}"))
    caught = failure(engine, "v6")
    assert isinstance(caught, error) and caught.code == code, caught.message


def test_page_with_media_that_is_gone_fails_permanently(tmp_path, site):
    server, engine = site
    (server.root / "watch").write_text(page("/media/missing.mp4"))
    engine.add(spec(tmp_path, "v7", watch_url(server)))
    caught = failure(engine, "v7")
    assert isinstance(caught, PermanentError) and caught.code == "video_unavailable", caught.message


def test_cancel_mid_download_removes_data_and_partial_files(tmp_path, site):
    server, engine = site
    server.faults = Faults(rate=256 * 1024)
    job = spec(tmp_path, "v8", watch_url(server))
    engine.add(job)
    wait(engine, "v8", "some")
    assert any((job.workdir / TEMP_DIR).rglob("*.part"))
    engine.cancel("v8")
    assert not job.data_dir.exists() and not (job.workdir / TEMP_DIR).exists()
    with pytest.raises(KeyError):
        engine.status("v8")


def test_remove_keeps_the_part_file_and_a_new_engine_resumes_it_with_range(tmp_path, site, clip):
    server, engine = site
    server.faults = Faults(rate=512 * 1024)
    job = spec(tmp_path, "v9", watch_url(server))
    engine.add(job)
    wait(engine, "v9", "some")
    time.sleep(0.3)
    engine.remove("v9")  # the drain path
    [part] = (job.workdir / TEMP_DIR).rglob("*.part")
    have = part.stat().st_size
    assert 0 < have < clip.stat().st_size
    server.faults = Faults()
    again = VideoEngine(SETTINGS, LOGGER)
    again.add(job)
    wait(again, "v9")
    again.close()
    [file] = engine.files(job)
    assert sha256_file(file.local) == sha256_file(clip)
    assert [r.range for r in server.requests if r.path.startswith("/media/")][-1] == f"bytes={have}-"


@pytest.mark.parametrize("said, error, code", [
    ("Private video. Sign in if you've been granted access to this video", PermanentError, "video_private"),
    ("Video unavailable. This video has been removed by the uploader", PermanentError, "video_unavailable"),
    ("Sign in to confirm your age. This video may be inappropriate for some users.", PermanentError,
     "video_login_required"),
    ("Sign in to confirm you\u2019re not a bot", TransientError, "video_blocked"),
])
def test_site_refusals_that_loopback_cannot_stage_get_stable_codes(said, error, code):
    """YouTube's wording, wrapped the way yt-dlp's report_error wraps an extractor's error."""
    from yt_dlp.utils import DownloadError, ExtractorError

    from worker.engines.video import classify

    cause = ExtractorError(said, expected=True)
    caught = classify(DownloadError(f"ERROR: [youtube] {VIDEO_ID}: {said}", (ExtractorError, cause, None)), [])
    assert isinstance(caught, error) and caught.code == code
