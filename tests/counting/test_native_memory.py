"""The compiled counting core when memory runs out: a MemoryError, never a crash or a wrong count.

Each check runs in a child Python whose address space is capped (RLIMIT_AS), so allocations really fail; a segfault
or an abort there is the child dying, which the test reports."""
import ast
import os
import subprocess
import sys
import textwrap

import pytest

from pbtools.counting import native as native_core

pytestmark = [
    pytest.mark.skipif(not native_core.BUILT and os.environ.get("PBTOOLS_NO_NATIVE") == "1",
                       reason="PBTOOLS_NO_NATIVE=1: the compiled core is not built on this machine"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="caps the child with RLIMIT_AS and glibc's malloc"),
]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# cap(extra): the soft limit set to what the child holds now plus `extra` bytes; uncap() lifts it again
PRELUDE = """
import resource, sys
from pbtools.counting import native
assert native.BUILT, "the compiled core is not built"
_, HARD = resource.getrlimit(resource.RLIMIT_AS)
def held():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()
import ctypes
_libc = ctypes.CDLL(None)
def cap(extra):
    _libc.malloc_trim(0)  # free memory handed back: what comes next must be mapped anew, under the cap
    resource.setrlimit(resource.RLIMIT_AS, (held() + extra, HARD))
def uncap():
    resource.setrlimit(resource.RLIMIT_AS, (HARD, HARD))
"""


@pytest.fixture
def counting_engine() -> str:
    """These tests run the compiled core themselves, in a child."""
    return "native"


def run_child(body: str) -> str:
    code = PRELUDE + textwrap.dedent(body)
    # glibc: one arena, blocks over 64 KiB mapped on their own and every freed block given back, so that the cap
    # meets the core's own allocations rather than memory glibc kept from before
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path), MALLOC_ARENA_MAX="1",
               MALLOC_MMAP_THRESHOLD_="65536", MALLOC_TRIM_THRESHOLD_="65536")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"the child died ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def phragmen_args() -> str:
    """args(m): one voter group approving m projects costing 1..m, budget for all: m rounds, none tied; Phragmén's
    load table is m x (m + 2) int64."""
    return """
import struct
from pbtools.counting.native import _rulesnative
def args(m):
    return (struct.pack("<q", 1), struct.pack("<2q", 0, m), struct.pack(f"<{m}i", *range(m)),
            [1] * m, list(range(1, m + 1)), m * (m + 1) // 2, list(range(m)), list(range(m)))
"""


def test_a_phragmen_table_too_large_for_memory_is_a_memory_error():
    # 40 000 projects: a 12.8 GB table, refused by calloc under a 1 GB cap (no half-made count, no crash)
    out = run_child(phragmen_args() + """
cap(1 << 30)
try:
    _rulesnative.phragmen(*args(40_000))
except MemoryError:
    print("refused")
uncap()
rounds, stopped = _rulesnative.phragmen(*args(50))  # the module still counts afterwards
print(len(rounds), stopped)
""")
    assert out.split() == ["refused", "50", "None"]


def test_counts_under_ever_tighter_memory_are_right_or_a_memory_error():
    """Phragmén and MES (Add1), each under caps from ample down to nothing: each count either equals the
    uncapped one or raises MemoryError; allocations failing at every point in between must not crash the child."""
    out = run_child(phragmen_args() + """
from decimal import Decimal
from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
m, n = 300, 400
projects = tuple(Project(f"p{i}", Decimal(1 + i % 7)) for i in range(m))
ballots = tuple(Ballot(tuple(dict.fromkeys(f"p{(v * 7 + j * 13) % m}" for j in range(1 + v % 11))), voter_id=f"v{v}")
                for v in range(n))
e = Election(projects, ballots, Decimal(400), "approval")
jobs = [lambda: _rulesnative.phragmen(*args(400))]  # (greedy allocates too little for the caps to bite)
jobs += [lambda rule=rule: count(e, rule, engine="native").selected for rule in ("phragmen", "mes-add1-greedy")]
want = [job() for job in jobs]
ok, refused = [0] * len(jobs), [0] * len(jobs)
for extra in [int((8 << 20) * 0.9 ** k) for k in range(120)] + [0]:  # 8 MiB down to nothing, finer near it
    for i, job in enumerate(jobs):
        cap(extra)
        try:
            got = job()
        except MemoryError:
            refused[i] += 1
            continue
        finally:
            uncap()
        assert got == want[i], (extra, i)
        ok[i] += 1
print(ok)
print(refused)
""")
    ok, refused = map(ast.literal_eval, out.splitlines())
    # each count both finished right under some caps and was refused under others: the caps really bit
    assert all(ok) and all(refused), (ok, refused)
