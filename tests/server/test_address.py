"""The hall address: a non-loopback IPv4 address of this machine, found without sending anything."""

from __future__ import annotations

import ipaddress
import socket

import psutil
import pytest

from pbtools.phones.address import (
    base_url, candidate_addresses, hall_address, is_loopback, is_this_machine, local_host, own_addresses,
)


def test_candidates_are_this_machines_own_non_loopback_addresses():
    own = {a.address for addrs in psutil.net_if_addrs().values() for a in addrs if a.family == socket.AF_INET}
    candidates = candidate_addresses()
    assert set(candidates) <= own
    assert all(not ipaddress.IPv4Address(a).is_loopback for a in candidates)
    expected = {a for a in own if not ipaddress.IPv4Address(a).is_loopback and not ipaddress.IPv4Address(a).is_link_local}
    assert set(candidates) == expected  # every usable interface is offered, none is left out
    assert hall_address() == (candidates[0] if candidates else None)


def test_an_override_wins():
    assert hall_address(" 10.0.0.7 ") == "10.0.0.7"


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.5.0.1", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("", False), ("192.168.1.10", False), ("laptop.local", False),
])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_this_machine_is_loopback_and_its_own_interfaces_addresses():
    own = [a.address for addrs in psutil.net_if_addrs().values() for a in addrs
           if a.family in (socket.AF_INET, socket.AF_INET6)]
    assert own and all(is_this_machine(a) for a in own)  # IPv6 ones with their zone (fe80::1%eth0) too
    assert {ipaddress.ip_address(a.split("%")[0]) for a in own} == own_addresses()
    for address in ("127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"):
        assert is_this_machine(address)
    for address in ("198.51.100.7", "2001:db8::7", "::ffff:198.51.100.7"):  # documentation addresses: no machine's
        assert not is_this_machine(address) or ipaddress.ip_address(address) in own_addresses()
    assert not is_this_machine("") and not is_this_machine("laptop.local")
    for address in candidate_addresses():  # the hall address phones use is this machine's
        assert is_this_machine(address) and is_this_machine(f"::ffff:{address}")


@pytest.mark.parametrize("host, local", [
    ("127.0.0.1", "127.0.0.1"), ("0.0.0.0", "127.0.0.1"), ("", "127.0.0.1"), ("::", "::1"), ("::1", "::1"),
    ("192.168.1.5", "192.168.1.5"), ("laptop.local", "laptop.local"),
])
def test_the_laptop_opens_a_server_at_an_address_it_listens_on(host, local):
    assert local_host(host) == local


def test_base_url():
    assert base_url("192.168.1.10", 8866) == "http://192.168.1.10:8866"
    assert base_url("fe80::1", 8866) == "http://[fe80::1]:8866"


@pytest.mark.parametrize("typed, parsed", [
    ("192.168.1.5", "192.168.1.5"), (" 10.0.0.7 ", "10.0.0.7"), ("fe80::1", "fe80::1"), ("[fe80::1]", "fe80::1"),
    ("laptop.local", "laptop.local"), ("pb-hall.", "pb-hall"),
])
def test_public_addresses_that_phones_can_use(typed, parsed):
    from pbtools.phones.address import parse_public_address

    assert parse_public_address(typed) == parsed
    assert base_url(parsed, 8866).count(":") >= 2  # scheme, then the port, whatever the address


@pytest.mark.parametrize("typed", ["192.168.1.5:8866", "http://192.168.1.5", "https://laptop.local/", "0.0.0.0",
                                   "127.0.0.1", "::", "laptop.local:80", "[fe80::1]:8866", "1.2.3", "a b", "", "x/y"])
def test_public_addresses_that_would_break_the_qr_are_refused(typed):
    from pbtools.phones.address import AddressError, parse_public_address

    with pytest.raises(AddressError) as refused:
        parse_public_address(typed)
    assert typed.strip()[:80] in refused.value.msg.render("ru")
