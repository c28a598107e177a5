"""The egress guard against real local parts: a loopback tracker, a libtorrent seeder, a web seed, a rebinding resolver.

Submit time: a job whose trackers, web seeds and peers all point where downloads
may not go is refused (400) and nothing is stored; forbidden ones are dropped
from what is stored. Run time: the worker's libtorrent never announces to, nor
fetches from, a forbidden address (its ip_filter), and its HTTP engine connects
only to the address it checked, on the first request and on every redirect.
"""

import base64
import hashlib
import time
from pathlib import Path
from urllib.parse import quote

import fastbencode
import libtorrent as lt
import pytest
from downloads_support import body, bucket_keys, commands, submit, torrent_b64

from chalicelib import aws
from chalicelib.config import EngineSettings, get_aws_settings
from chalicelib.downloads import bencode
from chalicelib.logs import worker_logger
from embedded.testpeers import Faults, FileServer, Seeder, Tracker, make_file, make_torrent, sha256_file
from worker.engines.base import EngineError, JobSpec, PermanentError
from worker.engines.http import HttpEngine
from worker.engines.torrent import TorrentEngine

LOGGER = worker_logger("WARNING")
LOOPBACK = dict(listen_host="127.0.0.1", listen_port=0, dht=False, lsd=False, upnp=False, utp=False,
                http_retries=0, http_timeout=5)
STRICT = EngineSettings(allow_private=False, **LOOPBACK)
RELAXED = EngineSettings(allow_private=True, **LOOPBACK)
HASH = "d" * 40
PUBLIC_TRACKER = "http://93.184.216.34/announce"  # an IP literal: no DNS at submit


def magnet(*trackers: str, extra: str = "") -> str:
    return f"magnet:?xt=urn:btih:{HASH}&dn=clip" + "".join(f"&tr={quote(t, safe='')}" for t in trackers) + extra


def torrent(tmp_path: Path, top: dict) -> bytes:
    path = tmp_path / "clip.bin"
    if not path.exists():
        make_file(path, 40_000)
    decoded = fastbencode.bdecode(make_torrent(path))
    decoded.update(top)
    return fastbencode.bencode(decoded)


def spec(tmp_path: Path, job_id: str, source_type: str, source=None, raw=None) -> JobSpec:
    workdir = tmp_path / "jobs" / job_id
    workdir.mkdir(parents=True, exist_ok=True)
    return JobSpec(job_id, 1, source_type, source, raw, workdir)


def wait_finished(engine, job_id: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while (progress := engine.status(job_id)).phase != "finished":
        assert time.monotonic() < deadline, f"{job_id} stuck at {progress}"
        time.sleep(0.05)
    return progress


def failure(engine, job_id: str, timeout: float = 20) -> EngineError:
    with pytest.raises(EngineError) as caught:
        wait_finished(engine, job_id, timeout)
    return caught.value


@pytest.fixture
def headers(make_user):
    return make_user()[1]


def nothing_stored(client, headers):
    assert body(client.http.get("/api/v1/downloads", headers=headers))["items"] == []
    assert commands() == [] and bucket_keys() == []


# --- submit time ------------------------------------------------------------------


@pytest.mark.parametrize("source", [
    magnet("http://127.0.0.1:6969/announce"),
    magnet("udp://169.254.169.254:80/announce", "http://10.0.0.1/announce"),
    magnet(extra="&ws=http%3A%2F%2F127.0.0.1%3A8000%2Ffile"),
    magnet(extra="&x.pe=127.0.0.1:6881"),
], ids=["loopback-tracker", "metadata-and-private", "loopback-web-seed", "loopback-peer"])
def test_magnet_whose_only_trackers_and_seeds_are_forbidden_is_refused(client, headers, source):
    response = submit(client, headers, "magnet", source)
    assert response.status_code == 400, response.body
    assert body(response)["error"]["code"] == "forbidden_trackers"
    nothing_stored(client, headers)


def test_forbidden_trackers_are_dropped_from_a_stored_magnet(client, headers):
    response = submit(client, headers, "magnet",
                      magnet("http://127.0.0.1:6969/announce", PUBLIC_TRACKER, "http://[::1]:1/announce"))
    assert response.status_code == 201, response.body
    assert body(response)["source"] == f"magnet:?xt=urn:btih:{HASH}&dn=clip&tr=http://93.184.216.34/announce"
    assert commands()[0].source == body(response)["source"]


def test_a_magnet_without_trackers_still_uses_the_dht(client, headers):
    assert submit(client, headers, "magnet", magnet()).status_code == 201


@pytest.mark.parametrize("top", [
    {b"announce": b"http://127.0.0.1:6969/announce"},
    {b"announce-list": [[b"http://169.254.169.254/announce"], [b"udp://192.168.1.1:6969"]]},
    {b"url-list": b"http://127.0.0.1:8000/"},
    {b"url-list": [b"http://0.0.0.0:8000/"], b"httpseeds": [b"http://10.1.1.1/seed"]},
    {b"nodes": [[b"127.0.0.1", 6881]]},
], ids=["announce", "announce-list", "url-list", "web-seeds", "dht-nodes"])
def test_torrent_whose_only_trackers_and_seeds_are_forbidden_is_refused(client, headers, tmp_path, top):
    response = submit(client, headers, "torrent", torrent_b64(torrent(tmp_path, top)))
    assert response.status_code == 400, response.body
    assert body(response)["error"]["code"] == "forbidden_trackers"
    nothing_stored(client, headers)


def test_forbidden_trackers_are_dropped_from_a_stored_torrent_and_the_info_hash_holds(client, headers, tmp_path):
    raw = torrent(tmp_path, {b"announce": b"http://127.0.0.1:1/announce",
                               b"announce-list": [[b"http://127.0.0.1:1/announce"], [PUBLIC_TRACKER.encode()]],
                               b"url-list": [b"http://169.254.169.254/"]})
    response = submit(client, headers, "torrent", torrent_b64(raw))
    assert response.status_code == 201, response.body
    [key] = bucket_keys("torrents/")
    stored = fastbencode.bdecode(aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"].read())
    assert stored[b"announce-list"] == [[PUBLIC_TRACKER.encode()]]
    assert b"announce" not in stored and b"url-list" not in stored
    assert stored[b"info"] == fastbencode.bdecode(raw)[b"info"]


def test_allow_private_admits_loopback_but_never_link_local_or_0_0_0_0(client, headers, settings_env, tmp_path):
    settings_env(SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    assert submit(client, headers, "magnet", magnet("http://127.0.0.1:6969/announce")).status_code == 201
    for tracker in ("http://169.254.169.254/announce", "http://0.0.0.0:6969/announce", "udp://[fe80::1]:80"):
        response = submit(client, headers, "magnet", magnet(tracker).replace("d" * 40, "e" * 40))
        assert response.status_code == 400 and body(response)["error"]["code"] == "forbidden_trackers"
    refused = submit(client, headers, "http", "http://0.0.0.0:8000/file.mkv")
    assert body(refused)["error"]["fields"] == {"source": "private_address"}


def test_torrent_metadata_libtorrent_refuses_is_refused_through_the_api_with_its_reason(client, headers):
    info = {b"name": b"..", b"piece length": 16384, b"pieces": b"\x00" * 20, b"length": 5}
    response = submit(client, headers, "torrent", base64.b64encode(fastbencode.bencode({b"info": info})).decode())
    assert response.status_code == 422, response.body
    reason = "the torrent has no usable name"
    assert body(response)["error"] == {"code": "invalid_torrent", "fields": {"source": reason},
                                       "message": f"Not a valid .torrent file: {reason}"}
    nothing_stored(client, headers)


def test_dropping_trackers_keeps_an_info_dictionary_out_of_key_order_byte_for_byte(client, headers, tmp_path):
    path = tmp_path / "film.bin"
    make_file(path, 40_000)
    loopback, public = b"27:http://127.0.0.1:1/announce", b"%d:%s" % (len(PUBLIC_TRACKER), PUBLIC_TRACKER.encode())
    raw = make_torrent(path, loopback.partition(b":")[2].decode(), flags=lt.create_torrent.v1_only)
    raw = raw.replace(b"8:announce" + loopback, b"8:announce" + loopback + b"13:announce-listll" + public + b"ee", 1)
    info = bencode.decode(raw).find_kind(b"info", "d")
    assert info is not None
    given = b"d" + b"".join(raw[k.start:v.end] for k, v in reversed(info.pairs)) + b"e"  # keys out of order
    raw = raw[:info.start] + given + raw[info.end:]
    response = submit(client, headers, "torrent", torrent_b64(raw))
    assert response.status_code == 201, response.body
    [key] = bucket_keys("torrents/")
    stored = aws.client("s3").get_object(Bucket=get_aws_settings().bucket, Key=key)["Body"].read()
    assert b"127.0.0.1" not in stored and given in stored
    info_hash = hashlib.sha1(given).hexdigest()  # noqa: S324 - BitTorrent v1 is sha1
    assert body(response)["infoHash"] == info_hash == str(lt.torrent_info(stored).info_hashes().v1)


# --- the worker's libtorrent --------------------------------------------------------


@pytest.fixture
def tracker():
    server = Tracker()
    yield server
    server.close()


@pytest.fixture
def www(tmp_path):
    (tmp_path / "www").mkdir()
    server = FileServer(tmp_path / "www")
    yield server
    server.close()


def run_torrent(settings, job: JobSpec, seconds: float = 4.0) -> TorrentEngine:
    engine = TorrentEngine(settings, LOGGER)
    engine.add(job)
    time.sleep(seconds)  # libtorrent announces and connects to web seeds within a second of adding
    return engine


@pytest.mark.peers
def test_worker_never_announces_to_a_loopback_tracker_when_private_is_not_allowed(tmp_path, tracker):
    make_file(tmp_path / "clip.bin", 40_000)
    raw = make_torrent(tmp_path / "clip.bin", tracker.url)
    uri = f"magnet:?xt=urn:btih:{HASH}&tr={quote(tracker.url, safe='')}"
    engine = run_torrent(STRICT, spec(tmp_path, "t1", "torrent", raw=raw))
    engine.add(spec(tmp_path, "t2", "magnet", uri))
    time.sleep(2)
    engine.close()
    assert tracker.announces == 0


@pytest.mark.peers
@pytest.mark.parametrize("settings", [STRICT, RELAXED], ids=["strict", "allow-private"])
def test_worker_never_announces_to_0_0_0_0(tmp_path, tracker, settings):
    make_file(tmp_path / "clip.bin", 40_000)
    raw = make_torrent(tmp_path / "clip.bin", f"http://0.0.0.0:{tracker.port}/announce")
    run_torrent(settings, spec(tmp_path, "t3", "torrent", raw=raw)).close()
    assert tracker.announces == 0


@pytest.mark.peers
@pytest.mark.parametrize("settings, host", [(STRICT, "127.0.0.1"), (RELAXED, "0.0.0.0")],
                         ids=["strict-loopback", "allow-private-0.0.0.0"])
def test_worker_never_fetches_from_a_forbidden_web_seed(tmp_path, www, settings, host):
    make_file(tmp_path / "www" / "clip.bin", 40_000)
    raw = make_torrent(tmp_path / "www" / "clip.bin", web_seeds=(f"http://{host}:{www.port}/",))
    run_torrent(settings, spec(tmp_path, "t4", "torrent", raw=raw)).close()
    assert www.requests == []


@pytest.mark.peers
def test_allow_private_keeps_a_loopback_tracker_and_web_seed_working(tmp_path, tracker, www):
    digest = make_file(tmp_path / "seed" / "clip.bin", 300_000)
    seeder = Seeder(tracker)
    seeded = seeder.seed(tmp_path / "seed" / "clip.bin")
    engine = TorrentEngine(RELAXED, LOGGER)
    try:
        engine.add(spec(tmp_path, "t5", "magnet", seeded.magnet))
        wait_finished(engine, "t5")
        assert tracker.announces > 0
        make_file(tmp_path / "www" / "movie.bin", 200_000, seed=7)
        raw = make_torrent(tmp_path / "www" / "movie.bin", web_seeds=(f"http://127.0.0.1:{www.port}/",))
        job = spec(tmp_path, "t6", "torrent", raw=raw)
        engine.add(job)
        wait_finished(engine, "t6")
    finally:
        engine.close()
        seeder.close()
    assert sha256_file(tmp_path / "jobs" / "t5" / "data" / "clip.bin") == digest
    assert sha256_file(job.data_dir / "movie.bin") == sha256_file(tmp_path / "www" / "movie.bin")
    assert www.requests and all(r.path == "/movie.bin" for r in www.requests)


# --- the worker's HTTP engine ---------------------------------------------------------




def fetch(tmp_path, settings, url: str, job_id: str = "h1") -> tuple[HttpEngine, JobSpec]:
    engine = HttpEngine(settings, LOGGER)
    job = spec(tmp_path, job_id, "http", url)
    engine.add(job)
    return engine, job


def test_dns_rebinding_cannot_reach_loopback(tmp_path, www, resolver):
    make_file(tmp_path / "www" / "f.bin", 1000)
    resolver("rebind.seen.test", "93.184.216.34", "127.0.0.1")  # public to the check, loopback to the connect
    engine, _ = fetch(tmp_path, STRICT, www.url("f.bin", host="rebind.seen.test"))
    caught = failure(engine, "h1")
    engine.close()
    assert isinstance(caught, PermanentError) and caught.code == "private_address"
    assert www.requests == []


def test_the_connection_is_pinned_and_keeps_the_host_name(tmp_path, www, resolver):
    digest = make_file(tmp_path / "www" / "f.bin", 100_000)
    # the guard's check and the connect get 127.0.0.1; a third lookup (a second connect) would fail the test
    lookups = resolver("files.seen.test", "127.0.0.1", "127.0.0.1", "169.254.169.254")
    engine, job = fetch(tmp_path, RELAXED, www.url("f.bin", host="files.seen.test"))
    wait_finished(engine, "h1")
    engine.close()
    assert sha256_file(job.data_dir / "f.bin") == digest
    assert [r.host for r in www.requests] == [f"files.seen.test:{www.port}"]
    assert lookups["files.seen.test"] == 2


@pytest.mark.parametrize("location", [
    "http://0.0.0.0:{port}/secret.bin",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://hop.seen.test:{port}/secret.bin",  # checked as 127.0.0.1, then answers 169.254.169.254 to the connect
], ids=["0.0.0.0", "metadata", "mapped-metadata", "rebinding-hop"])
def test_redirects_to_forbidden_addresses_are_refused_even_with_allow_private(tmp_path, www, resolver, location):
    make_file(tmp_path / "www" / "f.bin", 1000)
    make_file(tmp_path / "www" / "secret.bin", 1000)
    resolver("hop.seen.test", "127.0.0.1", "169.254.169.254")
    www.faults = Faults(redirects={"/f.bin": location.format(port=www.port)})
    engine, _ = fetch(tmp_path, RELAXED, www.url("f.bin"))
    caught = failure(engine, "h1")
    engine.close()
    assert isinstance(caught, PermanentError) and caught.code == "private_address"
    assert [r.path for r in www.requests] == ["/f.bin"]
