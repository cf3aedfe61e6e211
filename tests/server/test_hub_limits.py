"""The hub's login and sign-up limits (``server.hub_limits``) on a clock the test moves: both count failures in
the same sliding window (``Window``), and keep a bounded amount whatever the flood. The real hub's answers are in
tests/hub/test_hub_accounts.py."""

from __future__ import annotations

from pbtools.server import hub_limits
from pbtools.server.hub_limits import Attempts, SignUps, Window


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_counts_the_latest_events_of_a_key_and_slides():
    clock = Clock()
    window = Window(3, 60, clock)
    for _ in range(2):
        window.add("a")
        clock.now += 10
    assert window.count("a") == 2 and not window.full("a") and window.count("b") == 0
    window.add("a")
    assert window.full("a") and window.count("a") == 3
    window.add("a")  # more than ``most``: the count stays at ``most`` (only the latest are kept)
    assert window.count("a") == 3
    clock.now += 55  # kept: 1010, 1020, 1020 (the one at 1000 made room); now 1075: the one at 1010 is out
    assert window.count("a") == 2 and not window.full("a")
    clock.now += 61
    assert window.count("a") == 0


def test_a_window_keeps_a_bounded_number_of_keys(monkeypatch):
    monkeypatch.setattr(hub_limits, "MAX_ENTRIES", 10)
    clock = Clock()
    window = Window(2, 60, clock)
    for i in range(30):
        window.add(f"k{i}")
        clock.now += 1
        assert len(window.times) <= 10
    assert window.count("k29") == 1 and window.count("k0") == 0  # the newest kept, the oldest dropped


def test_sign_ups_are_limited_per_address_within_their_window():
    clock = Clock()
    signups = SignUps(per_address=3, window=600, clock=clock)
    for _ in range(3):
        assert not signups.blocked("10.0.0.1")
        signups.failed("10.0.0.1")
    assert signups.blocked("10.0.0.1") and not signups.blocked("10.0.0.2")
    clock.now += 601
    assert not signups.blocked("10.0.0.1")


def test_logins_wait_per_address_and_the_users_total_is_bounded():
    clock = Clock()
    attempts = Attempts(allowed=2, wait=60, total=4, window=3600, clock=clock)
    for _ in range(2):
        assert not attempts.blocked("chair", "10.0.0.1")
        attempts.failed("chair", "10.0.0.1")
    assert attempts.blocked("chair", "10.0.0.1") and not attempts.blocked("chair", "10.0.0.2")
    clock.now += 61  # one more try after the wait
    assert not attempts.blocked("chair", "10.0.0.1")
    for address in ("10.0.0.2", "10.0.0.3"):  # 4 failures of the user in the hour, from three addresses
        attempts.failed("chair", address)
    assert attempts.blocked("chair", "10.0.0.2")  # an address that failed is refused outright
    assert not attempts.blocked("chair", "10.0.0.9") and not attempts.blocked("clerk", "10.0.0.2")  # a new one tries
    attempts.succeeded("chair", "10.0.0.3")
    assert not attempts.blocked("chair", "10.0.0.3")
    clock.now += 3601
    assert not attempts.blocked("chair", "10.0.0.2")


def test_the_hubs_trusted_proxies_are_its_own_and_those_the_operator_adds():
    # s26 H4: a front proxy on another machine was never trusted, so its clients were one address
    assert hub_limits.proxies() == hub_limits.PROXY
    front = hub_limits.proxies("10.226.0.1, 192.0.2.0/30")
    assert hub_limits.unknown_client("10.226.0.1", front) and not hub_limits.unknown_client("10.226.0.1")
    assert hub_limits.unknown_client("127.0.0.1") and not hub_limits.unknown_client("203.0.113.7", front)
    import pytest

    with pytest.raises(ValueError, match="'10.0.0.x' is not an address"):
        hub_limits.proxies("10.0.0.x")


def test_hub_init_refuses_trusted_proxies_that_are_not_addresses(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pbtools", "--lang", "ru", "hub", "init", str(tmp_path / "hub"), "--db",
                           "postgresql://nobody@127.0.0.1:1/none", "--trusted-proxies", "10.0.0.5,nginx"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--trusted-proxies 10.0.0.5,nginx: укажите адреса или сети" in done.stderr, done.stderr
    assert not (tmp_path / "hub").exists()
