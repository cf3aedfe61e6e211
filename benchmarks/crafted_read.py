"""Reading crafted files must stay linear: the compiled reader against the Python reader on the same texts.

A file anyone can hand the app: many rows with lone \\r line ends (the compiled reader once searched for the next \\n
from every row: quadratic), with \\r\\n, with \\n, and one long line of quoted cells. Prints each reader's time
and the native/python ratio per text, at two sizes: a ratio that grows with the size is a quadratic path.

    python benchmarks/crafted_read.py [--rows 160000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pbtools.counting import native  # noqa: E402
from pbtools.counting.pabulib import parse_pb  # noqa: E402

HEAD = ("META\nkey;value\nnum_projects;3\nnum_votes;{n}\nbudget;100\nvote_type;approval\n"
        "PROJECTS\nproject_id;cost\n1;10\n2;20\n3;30\nVOTES\nvoter_id;vote\n")


def texts(n: int) -> dict[str, str]:
    rows = "".join(f"v{i};1,2\n" for i in range(n))
    lf = HEAD.format(n=n) + rows
    quoted = HEAD.format(n=n) + "".join(f'"v{i}";"1,2"\n' for i in range(n))
    return {"lone CR": lf.replace("\n", "\r"), "CRLF": lf.replace("\n", "\r\n"), "LF": lf, "quoted": quoted}


def best(text: str, engine: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        parse_pb(text, "crafted.pb", engine=engine)
        times.append(time.process_time() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=160_000, help="rows of the larger texts (the smaller: a quarter)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not native.BUILT:
        print("the compiled reader is not built: nothing to compare")
        return 1
    print(f"{'text':10} {'rows':>8} {'native s':>9} {'python s':>9} {'native/python':>14}")
    for n in (args.rows // 4, args.rows):
        for name, text in texts(n).items():
            a, b = best(text, "native", args.repeat), best(text, "python", args.repeat)
            print(f"{name:10} {n:8} {a:9.3f} {b:9.3f} {a / b:14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
