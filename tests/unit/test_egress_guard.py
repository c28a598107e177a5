"""One address policy: the URL guard, the submit-time tracker check and the worker's libtorrent ip_filter agree."""

import contextvars
import functools
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import libtorrent as lt
import pytest

from chalicelib import egress
from chalicelib.downloads import trackerguard
from worker.engines.egress import torrent_ip_filter

ALWAYS = ["0.0.0.0", "0.1.2.3", "169.254.169.254", "224.0.0.1", "255.255.255.255", "::", "fe80::1", "ff02::1",
          "::ffff:169.254.169.254", "::ffff:0.0.0.0",
          # cloud metadata outside link-local: AWS and Google Cloud over IPv6, Alibaba, Oracle, Azure WireServer
          "fd00:ec2::254", "fd20:ce::254", "100.100.100.200", "::ffff:100.100.100.200", "64:ff9b::6464:64c8",
          "192.0.0.192", "168.63.129.16"]
PRIVATE = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "::1", "fc00::1", "fd12::1",
           "::ffff:127.0.0.1", "::ffff:10.0.0.1"]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700::1111"]
# Every IPv6 form that carries an IPv4 address, for 169.254.169.254 (always refused), 127.0.0.1 and 10.1.2.3
# (refused unless private is allowed) and a public counterpart (allowed).
EMBEDDED_ALWAYS = [
    "::a9fe:a9fe",  # IPv4-compatible
    "::ffff:0:a9fe:a9fe",  # IPv4-translated (SIIT)
    "64:ff9b::a9fe:a9fe", "64:ff9b::169.254.169.254",  # NAT64 well-known prefix
    "2002:a9fe:a9fe::1", "2002:a9fe:a9fe:1234:5678::9",  # 6to4
    "2001:0:4136:e378:8000:63bf:5601:5601",  # Teredo: client = last 32 bits XOR ffff:ffff = 169.254.169.254 ...
    "2001:0:a9fe:a9fe:8000:63bf:3fff:fdd2",  # ... or the server is the metadata address
    "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:ffff::1",  # NAT64 local use: where the IPv4 sits is the site's secret
    "::2", "::0.1.2.3",  # IPv4-compatible 0.x.x.x: "this host"
    "::ffff:0:0.0.0.0", "2002::1", "64:ff9b::e000:1", "2002:ffff:ffff::",  # 0.0.0.0, multicast, broadcast
]
EMBEDDED_PRIVATE = [
    "::7f00:1", "::ffff:0:7f00:1", "64:ff9b::7f00:1", "2002:7f00:1::", "::a01:203", "64:ff9b::a01:203",
    "2002:a01:203::1", "2002:c0a8:101::1", "64:ff9b::c0a8:101",
]
EMBEDDED_PUBLIC = ["::5db8:d822", "64:ff9b::808:808", "64:ff9b::93.184.216.34", "2002:808:808::1",
                   "2002:5db8:d822:1::5", "::ffff:0:808:808"]
TEREDO_PUBLIC = "2001:0:4136:e378:8000:63bf:a247:27dd"  # client 93.184.216.34: a private range (2001::/23)
TEREDO_LOOPBACK = "2001:0:4136:e378:8000:63bf:80ff:fffe"  # client 127.0.0.1


def _refused(address: str, allow_private: bool) -> bool:
    return egress.address_refusal(ipaddress.ip_address(address), allow_private=allow_private) is not None


@pytest.mark.parametrize("address", ALWAYS + PRIVATE + PUBLIC + EMBEDDED_ALWAYS + EMBEDDED_PRIVATE + EMBEDDED_PUBLIC)
def test_url_guard_and_ip_filter_agree_in_both_modes(address):
    for allow_private in (False, True):
        expected = address in ALWAYS + EMBEDDED_ALWAYS or (
            address in PRIVATE + EMBEDDED_PRIVATE and not allow_private)
        assert _refused(address, allow_private) == expected, (address, allow_private)
        assert bool(torrent_ip_filter(lt, allow_private=allow_private).access(address) & 1) == expected


def test_teredo_is_judged_by_both_addresses_inside_and_blocked_whole_for_libtorrent():
    assert _refused(TEREDO_PUBLIC, allow_private=False)  # 2001::/23 is not the public internet
    assert not _refused(TEREDO_PUBLIC, allow_private=True)  # its client and server are public
    assert _refused(TEREDO_LOOPBACK, allow_private=False) and not _refused(TEREDO_LOOPBACK, allow_private=True)
    # libtorrent's filter holds ranges; an obfuscated client cannot be one, so all of Teredo is blocked
    assert torrent_ip_filter(lt, allow_private=True).access(TEREDO_PUBLIC) & 1


@pytest.mark.parametrize("url", ["http://[::a9fe:a9fe]/latest/meta-data/", "http://[64:ff9b::a9fe:a9fe]/",
                                 "http://[2002:a9fe:a9fe::1]/", "http://[64:ff9b:1::a9fe:a9fe]/",
                                 "http://[2001:0:4136:e378:8000:63bf:5601:5601]/", "udp://[::ffff:0:a9fe:a9fe]:80/"])
def test_embedded_metadata_address_is_refused_in_urls_and_magnets_even_with_private_allowed(url):
    with pytest.raises(egress.UrlRefused) as caught:
        egress.check_url(url, allow_private=True, schemes=egress.TRACKER_SCHEMES)
    assert caught.value.code == "private_address"
    base = "magnet:?xt=urn:btih:" + "a" * 40
    with pytest.raises(trackerguard.ForbiddenEndpoints):
        trackerguard.check_magnet(f"{base}&tr={quote(url, safe='')}", allow_private=True)


@pytest.mark.parametrize("url", ["http://0.0.0.0:8000/x", "http://169.254.169.254/", "http://[fe80::1]/",
                                 "http://[::ffff:169.254.169.254]/", "http://[fd00:ec2::254]/latest/meta-data/",
                                 "http://100.100.100.200/latest/meta-data/", "http://[fd20:ce::254]/"])
def test_link_local_and_0_0_0_0_stay_refused_when_private_is_allowed(url):
    with pytest.raises(egress.UrlRefused) as caught:
        egress.check_url(url, allow_private=True)
    assert caught.value.code == "private_address"
    assert egress.check_url("http://127.0.0.1:8000/x", allow_private=True)


def test_magnet_rewrite_keeps_everything_but_the_forbidden_endpoints():
    uri = ("magnet:?xt=urn:btih:" + "a" * 40 + "&dn=My%20Film&tr=http%3A%2F%2F127.0.0.1%2Fa"
           "&tr=udp%3A%2F%2F93.184.216.34%3A6969&x.pe=10.0.0.2:6881&x.pe=93.184.216.35:6881&ws=ftp%3A%2F%2Fx")
    assert trackerguard.check_magnet(uri, allow_private=False) == (
        "magnet:?xt=urn:btih:" + "a" * 40 + "&dn=My%20Film&tr=udp://93.184.216.34:6969&x.pe=93.184.216.35:6881")
    assert trackerguard.check_magnet(uri, allow_private=True).count("127.0.0.1") == 1


def test_unusable_endpoints_alone_do_not_refuse_a_magnet_but_forbidden_ones_do():
    base = "magnet:?xt=urn:btih:" + "a" * 40
    assert trackerguard.check_magnet(base + "&tr=wss%3A%2F%2Fx", allow_private=False) == base
    with pytest.raises(trackerguard.ForbiddenEndpoints) as caught:
        trackerguard.check_magnet(base + "&tr=wss%3A%2F%2Fx&tr=http%3A%2F%2F127.0.0.1", allow_private=False)
    assert caught.value.status == 400 and caught.value.fields == {"source": "forbidden_trackers"}


def test_pinned_resolution_fails_the_lookup_a_connect_uses_in_the_block_and_in_threads_it_starts():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    connect = functools.partial(socket.create_connection, timeout=2)
    with egress.pinned_resolution(allow_private=False) as pin:
        for host in ("127.0.0.1", "localhost"):
            with pytest.raises(socket.gaierror):
                connect((host, port))
        in_thread = ThreadPoolExecutor(1).submit(contextvars.copy_context().run, connect, ("127.0.0.1", port))
        with pytest.raises(socket.gaierror):
            in_thread.result()
    assert len(pin.refused) == 3
    with egress.pinned_resolution(allow_private=True, opened=()):
        connect(("127.0.0.1", port)).close()
        for host in ("169.254.169.254", "::ffff:169.254.169.254", "::a9fe:a9fe", "0.0.0.0"):
            with pytest.raises(socket.gaierror):
                connect((host, port))
    with egress.pinned_resolution(allow_private=False, opened=(ipaddress.ip_network("127.0.0.1/32"),)):
        connect(("127.0.0.1", port)).close()
    connect(("127.0.0.1", port)).close()  # outside a block nothing is judged
    server.settimeout(2)
    accepted = [server.accept()[0] for _ in range(3)]
    server.settimeout(0.2)
    with pytest.raises(TimeoutError):
        server.accept()  # the refused ones never connected
    for conn in [*accepted, server]:
        conn.close()


@pytest.mark.parametrize("host", ["[::a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::1]",
                                  "[::ffff:0:a9fe:a9fe]", "[2001:0:4136:e378:8000:63bf:5601:5601]",
                                  "[64:ff9b:1::a9fe:a9fe]"])
def test_an_indexer_url_at_an_embedded_metadata_address_is_refused_though_lan_ones_are_not(host):
    from chalicelib.sources.models import check_indexer_url

    with pytest.raises(ValueError, match="link-local"):
        check_indexer_url(f"http://{host}:9696/1/api")
    assert check_indexer_url("http://[::ffff:192.168.1.5]:9696/1/api")
    assert check_indexer_url("http://[64:ff9b::808:808]:9696/1/api")
