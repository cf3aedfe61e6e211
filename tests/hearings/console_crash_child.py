"""Child process of the console crash test: a clerk typing paper ballots into the console's Paper ballots tab.

    python -m tests.hearings.console_crash_child WORKSPACE FIRST [DB_URL]

The view is built in Python as Voila builds it; each ballot is sent to the entry box as the browser sends it when
Enter is pressed (a comm "update" of the box's value), and ``ok I N`` is printed only once the view says ballot N
is stored. Ballot i is ``typed_for(i)`` (the option numbers of ``crash_child.ballot_for(i)``), from the pile of
women's ballots.
"""

from __future__ import annotations

import re
import sys

from tests.hearings.crash_child import ballot_for

STORED = re.compile(r"(\d+)-бюллетень сакталды")  # "Ballot {n} stored" on the Kyrgyz screen


def typed_for(i: int) -> str:
    return " ".join(option[1:] for option in ballot_for(i).option_ids())  # P3 -> "3"


def press_enter(box, text: str) -> None:
    """What the browser sends when Enter is pressed in the ballot box: a custom message with the line."""
    box._handle_msg({"content": {"data": {"method": "custom", "content": {"text": text}}}, "buffers": []})


def main() -> None:
    from pbtools.storage import open_workspace
    from pbtools_widgets.console import ConsoleApp

    workspace, first = sys.argv[1], int(sys.argv[2])
    db_url = sys.argv[3] if len(sys.argv) > 3 else None
    with open_workspace(workspace, db_url=db_url) as ws:
        app = ConsoleApp(ws, lang="ky")
        app.operator.value = "clerk"
        app.tabs.selected_index = list(app.panels).index("paper")
        paper = app.panels["paper"]
        paper.question.value = "approval"
        paper.group["sex"].value = "f"
        print("ready", flush=True)
        i = first
        while True:
            press_enter(paper.typed, typed_for(i))
            found = STORED.search(paper.message.value)
            if paper.typed.value or "pb-ok" not in paper.message.value or not found:
                print(f"refused {i} {paper.message.value}", flush=True)
                sys.exit(1)
            print(f"ok {i} {found.group(1)}", flush=True)  # the view said stored: only now is it confirmed
            i += 1


if __name__ == "__main__":
    main()
