"""Behind the hub every path has the user's prefix: a ballot keeps its small body limit there, and a hand-in may
carry a whole hearing (the hand-in route exists only behind the hub)."""

from pbtools.server.limits import DEFAULT_BODY, LOGIN_BODY, SYNC_BODY, VOTE_BODY, body_limit


def test_body_limits_behind_the_hubs_prefix():
    for path in ("/vote/h1/q1", "/user/aida/vote/h1/q1", "/user/aida/ak_suu/vote/h1/q1?lang=ky"):
        assert body_limit(path) == VOTE_BODY, path
    assert body_limit("/user/aida/pbtools/sync") == SYNC_BODY == body_limit("/user/aida/ak_suu/pbtools/sync?lang=ru")
    assert body_limit("/pbtools/sync") == DEFAULT_BODY  # a laptop has no hand-in route
    assert body_limit("/user/aida/ak_suu/api/kernels") == DEFAULT_BODY
    assert body_limit("/user/vote/x") == DEFAULT_BODY and body_limit("/login") == LOGIN_BODY
