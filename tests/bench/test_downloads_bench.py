"""Downloads: the whole pipeline against the bare tools, on loopback, same data, same peers, one run.

* (a) a bare libtorrent session with the worker's own settings downloading the
  256 MiB torrent (magnet via a local tracker, one local seeder, uTP off);
* (b) a bare boto3 multipart upload of the same file to the same bucket
  (boto3's managed transfer, the worker's part size and concurrency, SHA256
  part checksums like the worker's);
* (c) ``aria2c`` fetching the same .torrent from the same seeder;
* (d) ``curl`` fetching the 256 MiB file from the same local HTTP server;
* (e) the pipeline, submit -> ``completed`` with the file verified in the
  bucket (API, SQS, the real worker process uploading while it downloads,
  events back into Postgres), for the torrent and for HTTP.

Ratios: torrent pipeline / max(a, b) (goal <= 1.25) and / aria2c; HTTP
pipeline / max(d, b) (goal <= 1.25). The pipeline can at best overlap the
download with the upload, so the slower of the two is its floor, on a machine
with cores to spare. Beside it, the machine's floor: the CPU seconds the whole
machine spent on (a) and (b) (every process: moto, the seeder, the tools),
summed and spread over its cores, is the least time the two can take at
once; pipeline / max(that, a, b) is what the code adds over the machine. The monitor
polls every 0.25 s here (``DOWNLOAD_POLL_INTERVAL``). Data lives in a temp dir
and is removed; nothing asserts on time.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from chalicelib import aws
from chalicelib.config import EngineSettings, get_aws_settings
from embedded.testpeers import FileServer, Seeder, Tracker, make_file

from .conftest import bench_size, summarise
from .downloads_support import phases, run_job, stored_digest

SIZE = bench_size(256, 16) * 1024 * 1024
ROUNDS = 5  # the emulator's CPU for one same upload moves 1.5-2x between rounds (kernel time): a median of 5


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("downloads-bench")
    path = root / "seed" / "bench-256MiB.bin"
    digest = make_file(path, SIZE)
    (root / "www").mkdir()
    (root / "www" / path.name).hardlink_to(path)
    yield root, path, digest
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def peers(data):
    root, path, _ = data
    import libtorrent as lt

    tracker = Tracker()
    seeder = Seeder(tracker)
    # v1 only: aria2c 1.36 mis-hashes hybrid (v1+v2) torrents and would join an empty swarm.
    seeded = seeder.seed(path, flags=lt.create_torrent.v1_only, timeout=300)
    (root / "bench.torrent").write_bytes(seeded.torrent)
    files = FileServer(root / "www")
    yield seeded, files, root / "bench.torrent"
    files.close()
    seeder.close()
    tracker.close()


def _bare_libtorrent(magnet: str, target: Path) -> float:
    import libtorrent as lt

    from worker.engines.torrent import session_settings

    settings = EngineSettings(listen_host="127.0.0.1", listen_port=0, dht=False, lsd=False, upnp=False, utp=False)
    session = lt.session(session_settings(settings))
    started = time.perf_counter()
    params = lt.parse_magnet_uri(magnet)
    params.save_path = str(target)
    handle = session.add_torrent(params)
    while not handle.status().is_seeding:
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    session.remove_torrent(handle)
    del session
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def _aria2c(torrent: Path, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["aria2c", "--quiet=true", "--seed-time=0", "--enable-dht=false", "--enable-dht6=false",
                    "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--check-integrity=false",
                    "--allow-overwrite=true", "--listen-port=51413-51513", f"--dir={target}", str(torrent)],
                   check=True, timeout=600)
    elapsed = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def _curl(url: str, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["curl", "--silent", "--fail", "--output", str(target), url], check=True, timeout=600)
    elapsed = time.perf_counter() - started
    target.unlink()
    return elapsed


def _bare_upload(path: Path) -> float:
    """boto3's managed multipart upload of ``path``, with the worker's part size, concurrency and checksums."""
    from boto3.s3.transfer import TransferConfig

    part, concurrency = EngineSettings.upload_part_bytes, EngineSettings.upload_concurrency
    config = TransferConfig(multipart_threshold=part, multipart_chunksize=part, max_concurrency=concurrency)
    s3, bucket, key = aws.client("s3", transfers=True), get_aws_settings().bucket, f"bench-bare/{path.name}"
    started = time.perf_counter()
    s3.upload_file(str(path), bucket, key, Config=config, ExtraArgs={"ChecksumAlgorithm": "SHA256"})
    elapsed = time.perf_counter() - started
    s3.delete_object(Bucket=bucket, Key=key)
    return elapsed


def _busy() -> float:
    """CPU seconds the whole machine has spent so far: every process (moto, the worker, the seeder, the tools)."""
    times = psutil.cpu_times()
    return sum(getattr(times, name, 0.0) for name in ("user", "nice", "system", "irq", "softirq"))


def _group(proc: psutil.Process) -> str:
    """Which part of the scenario a process is: the figures say where a round's CPU went."""
    if proc.pid == os.getpid():
        return "bench process (API, events driver, seeder, boto3 reference)"
    name, cmdline = proc.name(), " ".join(proc.cmdline()[:3])
    if "moto_server" in cmdline:
        return "moto (S3, SQS)"
    if cmdline.endswith("-m worker"):
        return "worker"
    if name.startswith("postgres"):
        return "postgres"
    if name.startswith("redis"):
        return "redis"
    return "other processes"


def _cpu_by_process() -> dict[int, tuple[str, float]]:
    """Each live process's CPU seconds so far, with its group; the bench process's include its waited children
    (curl, aria2c)."""
    found: dict[int, tuple[str, float]] = {}
    for proc in psutil.process_iter():
        try:
            times = proc.cpu_times()
            spent = times.user + times.system
            if proc.pid == os.getpid():
                spent += times.children_user + times.children_system
            found[proc.pid] = (_group(proc), spent)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def _machine_times() -> dict[str, float]:
    times = psutil.cpu_times()
    return {"busy": _busy(), "steal": getattr(times, "steal", 0.0), "iowait": getattr(times, "iowait", 0.0)}


def _timed(measure_once, cpu: list[float], spread: list[dict[str, float]]):
    """``measure_once``'s result, with the machine's CPU seconds during it appended to ``cpu`` and where they went
    (per process group, plus the time the hypervisor took from this machine, ``steal``, and ``iowait``) to
    ``spread``: when a round is slow, these say whether the code or the machine was."""
    machine, processes = _machine_times(), _cpu_by_process()
    started = time.perf_counter()
    result = measure_once()
    wall = time.perf_counter() - started
    machine_after, processes_after = _machine_times(), _cpu_by_process()
    cpu.append(machine_after["busy"] - machine["busy"])
    groups: dict[str, float] = {}
    for pid, (group, spent) in processes_after.items():
        before = processes.get(pid)
        groups[group] = groups.get(group, 0.0) + spent - (before[1] if before and before[0] == group else 0.0)
    spread.append({"round_s (with its clean-up)": round(wall, 3),
                   **{name: round(value, 2) for name, value in sorted(groups.items())},
                   **{f"machine {name}_s": round(machine_after[name] - machine[name], 2)
                      for name in ("steal", "iowait")}})
    return result


def _interleaved(pipeline_round, references: dict):
    """Pipeline rounds with one round of each reference before each (pedantic's untimed setup).

    The machine's load drifts over a run; measuring the references next to
    each pipeline round keeps the ratios about the same conditions. Returns
    the wall seconds of each side, the machine's CPU seconds of each, each
    round's CPU by process group (``_timed``), and the runner.
    """
    subject: list[float] = []
    samples: dict[str, list[float]] = {name: [] for name in references}
    cpu: dict[str, list[float]] = {name: [] for name in [*references, "pipeline"]}
    spread: dict[str, list[dict[str, float]]] = {name: [] for name in cpu}

    def setup() -> None:
        for name, measure_once in references.items():
            samples[name].append(_timed(lambda m=measure_once, n=name: m(len(samples[n])), cpu[name], spread[name]))

    return subject, samples, cpu, spread, lambda benchmark: benchmark.pedantic(
        lambda: subject.append(_timed(pipeline_round, cpu["pipeline"], spread["pipeline"])), setup=setup,
        rounds=ROUNDS)


def _machine_floor(report, scenario: str, subject: list[float], walls: dict[str, list[float]],
                   cpu: dict[str, list[float]], **info: object) -> None:
    """The pipeline against what this machine can do at best: both references at once, on all its cores."""
    cores = psutil.cpu_count() or 1
    cpu_floor = sum(statistics.median(cpu[name]) for name in walls) / cores
    slowest = max(statistics.median(samples) for samples in walls.values())
    floor = max(slowest, cpu_floor)
    report.ratio(f"{scenario}: pipeline vs the machine's floor", summarise(subject), summarise([floor]),
                 subject_label="submit -> completed in the bucket",
                 reference_label=f"max(the slower reference, the references' CPU seconds / {cores} cores)",
                 cores=cores, cpu_floor_s=round(cpu_floor, 3), slower_reference_s=round(slowest, 3), **info)
    report.figure(f"{scenario}: the machine's CPU seconds (median per round)",
                  pipeline=round(statistics.median(cpu["pipeline"]), 3),
                  **{name: round(statistics.median(cpu[name]), 3) for name in walls})


def _report_spread(report, scenario: str, spread: dict[str, list[dict[str, float]]]) -> None:
    """Each round of each side: wall seconds and where the machine's CPU went (so a slow round is explained by
    its figures: a process that spent more, or time the machine lost to its host)."""
    for name, rounds in spread.items():
        report.figure(f"{scenario}: {name} rounds, CPU s by process", rounds=rounds)


def _slower(first: dict[str, float], second: dict[str, float]) -> dict[str, float]:
    return first if first["median"] >= second["median"] else second


def test_torrent_pipeline_vs_bare_libtorrent_and_aria2c(benchmark, report, data, peers, pipeline, tmp_path):
    if shutil.which("aria2c") is None:
        pytest.skip("aria2c is not installed (make setup installs it)")
    seeded, _, torrent_file = peers
    subject, samples, cpu, spread, run = _interleaved(lambda: run_job(pipeline, "magnet", seeded.magnet), {
        "libtorrent": lambda i: _bare_libtorrent(seeded.magnet, tmp_path / f"lt-{i}"),
        "upload": lambda _i: _bare_upload(data[1]),
        "aria2c": lambda i: _aria2c(torrent_file, tmp_path / f"aria-{i}")})
    run(benchmark)
    assert stored_digest() == data[2]
    bare, aria, bare_upload = samples["libtorrent"], samples["aria2c"], summarise(samples["upload"])
    info = {"size_mib": SIZE // (1024 * 1024), "transport": "loopback TCP, uTP off"}
    floor = _slower(summarise(bare), bare_upload)
    benchmark.extra_info["ratio_vs_max_libtorrent_upload"] = report.ratio(
        "torrent 256 MiB: pipeline vs max(libtorrent, upload)", summarise(subject), floor,
        subject_label="submit -> completed in the bucket (worker, upload while downloading, events)",
        reference_label="the slower of bare libtorrent and a bare boto3 multipart upload", goal=1.25, **info)
    benchmark.extra_info["ratio_vs_libtorrent"] = report.ratio(
        "torrent 256 MiB: pipeline vs bare libtorrent", summarise(subject), summarise(bare),
        subject_label="submit -> completed in the bucket", reference_label="bare libtorrent session", **info)
    benchmark.extra_info["ratio_vs_aria2c"] = report.ratio(
        "torrent 256 MiB: pipeline vs aria2c", summarise(subject), summarise(aria),
        subject_label="submit -> completed in the bucket", reference_label="aria2c on the same .torrent", **info)
    report.ratio("upload 256 MiB: bare boto3 multipart vs bare libtorrent", bare_upload, summarise(bare),
                 subject_label="boto3 upload_file to the local S3 emulator", reference_label="bare libtorrent",
                 tools_only=True, **info)
    report.ratio("torrent 256 MiB: bare libtorrent vs aria2c", summarise(bare), summarise(aria),
                 subject_label="bare libtorrent", reference_label="aria2c", **info)
    _machine_floor(report, "torrent 256 MiB", subject, {"libtorrent": bare, "upload": samples["upload"]}, cpu,
                   **info)
    _report_spread(report, "torrent 256 MiB", spread)
    report.figure("torrent 256 MiB: pipeline phases", **phases(pipeline[3]))


def test_http_pipeline_vs_curl(benchmark, report, data, peers, pipeline, tmp_path):
    _, files, _ = peers
    url = files.url(data[1].name)
    subject, samples, cpu, spread, run = _interleaved(lambda: run_job(pipeline, "http", url), {
        "curl": lambda i: _curl(url, tmp_path / f"curl-{i}.bin"), "upload": lambda _i: _bare_upload(data[1])})
    run(benchmark)
    reference, bare_upload = samples["curl"], summarise(samples["upload"])
    size = {"size_mib": SIZE // (1024 * 1024)}
    benchmark.extra_info["ratio_vs_max_curl_upload"] = report.ratio(
        "http 256 MiB: pipeline vs max(curl, upload)", summarise(subject), _slower(summarise(reference), bare_upload),
        subject_label="submit -> completed in the bucket (worker, upload while downloading, events)",
        reference_label="the slower of curl and a bare boto3 multipart upload", goal=1.25, **size)
    benchmark.extra_info["ratio_vs_curl"] = report.ratio(
        "http 256 MiB: pipeline vs curl", summarise(subject), summarise(reference),
        subject_label="submit -> completed in the bucket", reference_label="curl from the same local server", **size)
    report.ratio("upload 256 MiB: bare boto3 multipart vs curl", bare_upload, summarise(reference),
                 subject_label="boto3 upload_file to the local S3 emulator", reference_label="curl", tools_only=True,
                 **size)
    _machine_floor(report, "http 256 MiB", subject, {"curl": reference, "upload": samples["upload"]}, cpu, **size)
    _report_spread(report, "http 256 MiB", spread)
    report.figure("http 256 MiB: pipeline phases", **phases(pipeline[3]))
