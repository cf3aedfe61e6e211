"""The compiled counting core when memory runs out: a MemoryError, never a crash or a wrong count.

Each check runs in a child Python whose address space is capped (RLIMIT_AS), so allocations really fail; a segfault
or an abort there is the child dying, which the test reports. GMP's own allocations failing (its default allocator
aborts the process: SIGABRT) are turned into MemoryError by _gmp_oom (gmp_oom.h), whose count of them shows that
they, not malloc's of the core, were refused."""
import ast
import os
import random
import subprocess
import sys
import textwrap

import pytest

from tests.counting.test_pabulib_io import good

pytestmark = [
    pytest.mark.usefixtures("native_built"),
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


def run_python(code: str, **env: str) -> str:
    """`code` run by a child Python that imports this checkout first (env: more variables); its output."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + sys.path), **env)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"the child died ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def run_child(body: str, mmap_threshold: int = 65536) -> str:
    # glibc: one arena, blocks over mmap_threshold bytes mapped on their own and every freed block given back, so
    # that the cap meets the core's own allocations rather than memory glibc kept from before
    return run_python(PRELUDE + textwrap.dedent(body), MALLOC_ARENA_MAX="1", MALLOC_MMAP_THRESHOLD_=str(mmap_threshold),
                      MALLOC_TRIM_THRESHOLD_="65536")


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
    uncapped one or is refused (MemoryError; through ``count``, its CountError saying memory ran out);
    allocations failing at every point in between must not crash the child."""
    out = run_child(phragmen_args() + """
from decimal import Decimal
from pbtools.counting.count import CountError, count
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
        except CountError as refusal:  # count(): memory ran out, said in the user's language
            assert refusal.message.msgid.startswith("Not enough memory"), refusal
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


def test_the_compiled_reader_under_ever_tighter_memory_reads_right_or_raises_memory_error(tmp_path):
    """The compiled reader's own allocations (the tokenizer's fields and its slow path's copies, the tables of cells
    and of voter ids by bytes, by value and as large numbers, the compact read's arrays) refused at every size
    between ample and nothing: each read gives the uncapped election or raises MemoryError, never a crash."""
    rng = random.Random(3)
    ids = [f"v{i}" if i % 3 == 0 else str(i) if i % 3 == 1 else str(10**17 + i) for i in range(20_000)]
    rows = "".join(f'{v};{",".join(rng.sample("123", rng.randint(1, 3)))};{rng.randint(18, 90)};'
                   + (f'"{rng.choice("FM")}\r\nx"\n' if rng.random() < 0.1 else f"{rng.choice('FM')}\n") for v in ids)
    path = tmp_path / "x.pb"
    path.write_bytes((good()[: good().index("VOTES")] + "VOTES\nvoter_id;vote;age;sex\n" + rows).encode())
    out = run_child(f"PATH = {str(path)!r}\n" + """
from pbtools.counting.native import _pbnative
from pbtools.counting.pabulib import read_pb
votes_loop = _pbnative.read_votes_compact
last_from_loop = [None]
def read_votes_compact(*args):  # the reader's call, seen: which MemoryError the compiled VOTES loop raised itself
    try:
        return votes_loop(*args)
    except MemoryError as refusal:
        tb = refusal.__traceback__  # None if the cap refused even the traceback's entry: not counted
        if tb is not None and tb.tb_next is None:  # raised in C, not in a Python hook the loop called
            last_from_loop[0] = refusal  # (no allocation: the cap is still on)
        raise
_pbnative.read_votes_compact = read_votes_compact
def read():
    e = read_pb(PATH, "native")
    return [(b.choice, b.voter_id, dict(b.voter)) for b in e.ballots]
want = read()
ok = refused = in_votes_loop = 0
for extra in [int((6 << 20) * 0.95 ** k) for k in range(90)] + [0]:  # 6 MiB down to nothing
    cap(extra)
    try:
        got = read()
    except MemoryError as refusal:
        refused += 1
        in_votes_loop += refusal is last_from_loop[0]
        continue
    finally:
        uncap()
    assert got == want, extra
    ok += 1
print(ok, refused, in_votes_loop, len(want))
""")
    ok, refused, in_votes_loop, voters = map(int, out.split())
    assert voters == 20_000
    # the reader read right under the ample caps, and the others bit inside the compiled VOTES loop
    assert ok and in_votes_loop > 10, (ok, refused, in_votes_loop)


# GMP's numbers here are tens of KiB: mapped on their own, each new one needs new address space (glibc would
# otherwise find room for it among the blocks freed by the run before, and the cap would not bite)
BIG_MMAP = 4096


def gmp_elections(digits: int, m: int, groups: int, most: int) -> str:
    """The set-up of the children counting with GMP: an election of m projects whose costs have `digits` digits (MES's
    rationals grow to about 3x that) and `groups` voter groups, each approving 1 to `most` projects (drawn from a
    fixed seed), with utilities 0-3 for a count by points. It defines phragmen(): _rulesnative's Phragmén;
    new_engine(points=False): its _mesnative.Engine; mes_steps(points=False, engine=None, t=T0, k=4): Add1's runs
    at growing t (each run kept in the engine and resumed by the next), then the explained run; refused(): GMP
    allocations _gmp_oom refused so far. The numbers go in as text: str() of a Python int of that size is slow (and
    capped by int_max_str_digits)."""
    return f"D, m, G, MOST = {digits}, {m}, {groups}, {most}\n" + """
import random, struct
from decimal import Decimal
from pbtools.counting.native import _gmp_oom, _mesnative, _rulesnative
rng = random.Random(7)
weights = [rng.choice([1, 2, 3, 5, 7, 11, 13]) * (g % 4 + 1) for g in range(G)]
groups = [sorted(rng.sample(range(m), rng.randint(1, MOST))) for g in range(G)]
sup = [[g for g in range(G) if p in groups[g]] for p in range(m)]
supu = [[(g + p) % 4 for g in sup[p]] for p in range(m)]
costs = ["1" + "3" * D + "%03d" % (7 * p) for p in range(m)]
off = [0]
for ps in groups:
    off.append(off[-1] + len(ps))
support = [sum(weights[g] for g in sup[p]) for p in range(m)]
PHRAGMEN = (struct.pack(f"<{G}q", *weights), struct.pack(f"<{G + 1}q", *off),
            struct.pack(f"<{off[-1]}i", *(p for ps in groups for p in ps)), support, [Decimal(c) for c in costs],
            Decimal("9" * (D + 3)), [p for p in range(m) if support[p]], list(range(m)))
def phragmen():
    return _rulesnative.phragmen(*PHRAGMEN)
def mes_arrays(weights, sup, supu=None):
    # the buffers _mesnative.Engine takes: weights, each project's supporting groups (CSR) and their utility indices
    off = [0]
    for gs in sup:
        off.append(off[-1] + len(gs))
    return (struct.pack(f"<{len(weights)}q", *weights), struct.pack(f"<{len(off)}q", *off),
            struct.pack(f"<{off[-1]}i", *(g for gs in sup for g in gs)),
            None if supu is None else struct.pack(f"<{off[-1]}q", *(u for us in supu for u in us)))
def new_engine(points=False):
    return _mesnative.Engine(*mes_arrays(weights, sup, supu if points else None), ["1", "3/2", "7/3", "5"] if points else None,
                             costs, list(range(m)), [p for p in range(m) if sup[p]], [])
T0 = "1" + "3" * (D - 1) + "/" + str(sum(weights))  # all voters together hold 1/10,000 of a cost: Add1 raises it
def mes_steps(points=False, engine=None, t=T0, k=4):
    e = engine or new_engine(points)
    out = []
    for _ in range(k):
        selected, tstar, _ = e.run(t, True)
        out.append((selected, tstar))
        if tstar is None:
            break
        t = tstar
    selected, _, purchases = e.run(t, False, True)
    return out + [(selected, purchases)]
def refused():
    return _gmp_oom.stats()["refused"]
"""


# costs of 60,000 digits: under a cap it is mostly GMP's allocations that fail
BIG_NUMBERS = gmp_elections(digits=60_000, m=30, groups=60, most=6)


def test_gmp_running_out_of_memory_is_a_memory_error_and_the_process_counts_on():
    """Phragmén and MES/Add1 over large numbers under caps from ample down to small: each count equals the uncapped
    one or raises MemoryError, and GMP's own allocations were among those refused (before _gmp_oom, the first of
    those aborted the child); the same process then counts every one right again."""
    out = run_child(BIG_NUMBERS + """
assert _gmp_oom.stats()["installed"]
jobs = [phragmen, mes_steps]
want = [job() for job in jobs]
ok, refused_by_gmp, refused_other = [0] * len(jobs), [0] * len(jobs), [0] * len(jobs)
for extra in [int((16 << 20) * 0.7 ** k) for k in range(30)]:  # 16 MiB down to 400 bytes
    for i, job in enumerate(jobs):
        before = refused()
        cap(extra)
        try:
            got = job()
        except MemoryError:
            if refused() > before:
                refused_by_gmp[i] += 1
            else:
                refused_other[i] += 1
            continue
        finally:
            uncap()
        assert got == want[i], (extra, i)
        ok[i] += 1
print(ok)
print(refused_by_gmp)
print(refused_other)
print([job() == w for job, w in zip(jobs, want)])  # the same process, uncapped again
""", mmap_threshold=BIG_MMAP)
    ok, by_gmp, other, again = map(ast.literal_eval, out.splitlines())
    assert all(ok) and all(by_gmp), (ok, by_gmp, other)
    assert again == [True, True]


def test_an_add1_step_refused_for_memory_leaves_its_engine_counting_right():
    """The engine keeps each Add1 run to resume the next step from it: a step that runs out of memory while changing
    that run must not leave it half changed for the step after. The same engine, uncapped again, goes on exactly
    as an engine that never ran short; the same holds in a second thread (the jump target is the thread's own)."""
    out = run_child(BIG_NUMBERS + """
import threading
want = mes_steps()
t1 = want[0][1]  # the second step's start
hit = 0
for extra in [int((2 << 20) * 0.7 ** k) for k in range(14)]:  # 2 MiB down to 20 KiB
    e = new_engine()
    assert e.run(T0, True) == (*want[0], None)  # step 1, kept in e
    before = refused()
    cap(extra)
    try:
        e.run(t1, True)  # step 2 resumes (and changes) the kept run
        continue
    except MemoryError:
        pass
    finally:
        uncap()
    hit += refused() > before
    assert mes_steps(engine=e, t=t1, k=3) == want[1:], extra  # on from step 2 with the same engine
print(hit)
caught = []
def in_thread():
    cap(1 << 20)
    try:
        mes_steps()
    except MemoryError:
        caught.append(refused())
    finally:
        uncap()
before = refused()
worker = threading.Thread(target=in_thread)
worker.start()
worker.join()
print(caught and caught[0] > before)
print(mes_steps() == want)
""", mmap_threshold=BIG_MMAP)
    hit, in_thread, again = out.split()
    assert int(hit) > 0, "no cap made GMP run out in the resumed step"
    assert in_thread == "True" and again == "True"


def test_gmpy2_numbers_made_before_and_after_the_core_loads_are_freed_right():
    """The process has one set of GMP memory functions per libgmp: gmpy2's numbers made before the compiled core
    installed its functions and after must be freed by the matching ones (gmpy2's wheels carry their own libgmp,
    one built against the system's shares the core's: either way no crash, and the values stay right)."""
    code = """
import gc, gmpy2
before = [gmpy2.mpq(3 ** 500 + k, 7 ** 200) for k in range(200)]
from pbtools.counting.native import _gmp_oom, _mesnative, _rulesnative
stats = _gmp_oom.stats()
after = [gmpy2.mpq(5 ** 500 + k, 11 ** 200) for k in range(200)]
mixed = [a * b + a for a, b in zip(before, after)]  # gmpy2 grows numbers made before into new ones
del before[::2], after[1::2]
gc.collect()
total = sum(mixed) + sum(before) + sum(after)
import struct
e = _mesnative.Engine(struct.pack("<2q", 1, 2), struct.pack("<3q", 0, 2, 3), struct.pack("<3i", 0, 1, 1), None, None, [3, 4], [0, 1], [0, 1], [])
print(stats["installed"], stats["chained"])
print(total == sum(gmpy2.mpq(3 ** 500 + k, 7 ** 200) * gmpy2.mpq(5 ** 500 + k, 11 ** 200) + gmpy2.mpq(3 ** 500 + k, 7 ** 200) for k in range(200))
      + sum(gmpy2.mpq(3 ** 500 + k, 7 ** 200) for k in range(1, 200, 2)) + sum(gmpy2.mpq(5 ** 500 + k, 11 ** 200) for k in range(0, 200, 2)))
print(e.run("7/3")[0])
"""
    installed, sums_right, selected = run_python(code).splitlines()  # not run_child: gmpy2 comes before the core
    assert installed == "True False"  # GMP's defaults were in place (gmpy2 installs none) and were replaced
    assert sums_right == "True"
    assert ast.literal_eval(selected)


def test_a_number_whose_old_limbs_gmp_freed_before_the_refusal_is_freed_once():
    """GMP's mpz_mul into a number too small frees its limbs, then asks for the new ones: refused there, the number
    points at freed memory (before _gmp_oom held such blocks back, clearing it freed them twice: glibc aborted the
    child with 'double free detected')."""
    out = run_child("""
from pbtools.counting.native import _gmp_oom
print(all(_gmp_oom.refused_product() for _ in range(200)))
""")
    assert out.split() == ["True"]


def test_every_gmp_allocation_refused_in_turn_is_a_memory_error_and_nothing_is_left_half_made():
    """_gmp_oom.fail_after(n) makes the n-th GMP allocation inside a frame fail: each count is run with n = 1, 2, ...
    until it finishes, so that GMP runs out at every point it allocates (engine set-up, pricing, payments, Add1's
    logs, the explanation, Phragmén's rounds, the numbers' text); each time MemoryError, and the next count right.
    An Add1 engine whose resumed step is refused at each point goes on exactly as one that never ran short."""
    out = run_child(gmp_elections(digits=300, m=12, groups=25, most=5) + """
def refused_in_turn(job):
    # job() under fail_after(1), (2), ... until it finishes, and right again after each refusal -> allocations seen
    want, n = job(), 1
    while True:
        _gmp_oom.fail_after(n)
        try:
            job()
            finished = _gmp_oom.stats()["fail_in"] != 0  # the n-th allocation never came
        except MemoryError:
            finished = False
        finally:
            _gmp_oom.fail_after(0)
        if finished:
            return n - 1
        assert job() == want, n
        n += 1
seen = {"phragmen": refused_in_turn(phragmen), "support": refused_in_turn(mes_steps),
        "points": refused_in_turn(lambda: mes_steps(True))}
want = mes_steps()
t1 = want[0][1]  # the second step's start
n = 1
while True:
    engine = new_engine(False)
    engine.run(T0, True)  # step 1, kept in the engine
    _gmp_oom.fail_after(n)
    try:
        engine.run(t1, True)
        finished = _gmp_oom.stats()["fail_in"] != 0
    except MemoryError:
        finished = False
    finally:
        _gmp_oom.fail_after(0)
    if finished:
        break
    assert mes_steps(engine=engine, t=t1, k=3) == want[1:], n
    n += 1
seen["resumed"] = n - 1
print(seen)
""")
    seen = ast.literal_eval(out)
    # every count allocated in GMP many times, and was refused at each of those points in turn (the resumed step
    # about 50: a tracked run's logs make their numbers when first used, not 256 at a time)
    assert seen["phragmen"] >= 20 and seen["support"] >= 500 and seen["points"] >= 500 and seen["resumed"] >= 30, seen
