"""One address policy: the URL guard, the submit-time tracker check and the worker's libtorrent ip_filter agree."""

import ipaddress

import libtorrent as lt
import pytest

from chalicelib.downloads import trackerguard, urlguard
from worker.engines.egress import torrent_ip_filter

ALWAYS = ["0.0.0.0", "0.1.2.3", "169.254.169.254", "224.0.0.1", "255.255.255.255", "::", "fe80::1", "ff02::1",
          "::ffff:169.254.169.254", "::ffff:0.0.0.0"]
PRIVATE = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "::1", "fc00::1", "fd12::1",
           "::ffff:127.0.0.1", "::ffff:10.0.0.1"]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700::1111"]


@pytest.mark.parametrize("address", ALWAYS + PRIVATE + PUBLIC)
def test_url_guard_and_ip_filter_agree_in_both_modes(address):
    for allow_private in (False, True):
        refused = urlguard.address_refusal(ipaddress.ip_address(address), allow_private=allow_private)
        expected = address in ALWAYS or (address in PRIVATE and not allow_private)
        assert (refused is not None) == expected, (address, allow_private)
        assert bool(torrent_ip_filter(lt, allow_private=allow_private).access(address) & 1) == expected


@pytest.mark.parametrize("url", ["http://0.0.0.0:8000/x", "http://169.254.169.254/", "http://[fe80::1]/",
                                 "http://[::ffff:169.254.169.254]/"])
def test_link_local_and_0_0_0_0_stay_refused_when_private_is_allowed(url):
    with pytest.raises(urlguard.UrlRefused) as caught:
        urlguard.check_url(url, allow_private=True)
    assert caught.value.code == "private_address"
    assert urlguard.check_url("http://127.0.0.1:8000/x", allow_private=True)


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
