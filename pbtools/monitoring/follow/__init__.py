"""Did the budget follow the hearing? The hearing's priorities (the options the count funded in closed hearings)
set against the budget the council adopted for the following year, and last year's execution.

- ``priorities.hearing_priorities(ws)``: what the hearings asked for (plain data, from the ledger).
- ``compare.follow_budget(priorities, adopted, matches, ...)``: per priority whether and how much money the adopted
  budget gives it (a line matched by a person, by the line's name, or only the sector's money); ``execution_lines``
  the plan against the actual of last year, biggest shortfalls first.
- ``service.FollowService(ws)``: what the CLI, the report and a screen call; ``match(...)`` keeps a person's match
  in the ledger (stream ``budget-follow``), with the ``Actor`` who made it.
- ``blocks.follow_blocks(follow, lang)``: the section of the monitoring report, in ky/ru/en.
"""
