"""Needs assessment before a hearing (ЖМБА / СИНС): focus groups in each village (women, men, youth, elders, or
groups the facilitator names) rank the community's problems; the rankings are aggregated by a rule anyone can check
by hand, shown per group and per village, and the top problems become the options of the next hearing.

``store.NeedsStore`` writes (one ledger stream per assessment), ``aggregate`` counts, ``to_hearing`` carries the
top problems over, ``forms`` prints the focus groups' paper forms, ``service.NeedsService`` is what screens call.
"""
