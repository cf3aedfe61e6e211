"""Behind the hub every path has the user's prefix (the server's base URL): a ballot or a survey's answers keep their
small body limit there, and a hand-in may carry a whole hearing (the hand-in route exists only behind the hub)."""

from pbtools.server.limits import DEFAULT_BODY, LOGIN_BODY, SYNC_BODY, VOTE_BODY, body_limit


def test_body_limits_behind_the_hubs_prefix():
    assert body_limit("/vote/h1/q1") == VOTE_BODY
    for base in ("/user/aida/", "/user/aida/ak_suu/"):
        for route in ("vote/h1/q1", "vote/h1/q1?lang=ky", "survey/s1", "practice/training/vote/mock-2026/q1"):
            assert body_limit(base + route.split("?")[0], base) == VOTE_BODY, base + route
        assert body_limit(base + "pbtools/sync", base) == SYNC_BODY
        assert body_limit(base + "api/kernels", base) == DEFAULT_BODY
    assert body_limit("/pbtools/sync") == DEFAULT_BODY  # a laptop has no hand-in route
    assert body_limit("/user/bolot/vote/x", "/user/aida/") == DEFAULT_BODY  # not this server's
    assert body_limit("/user/vote/x") == DEFAULT_BODY and body_limit("/login") == LOGIN_BODY
