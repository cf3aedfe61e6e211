"""Charts for the citizens' budget and the results screen: functions returning a matplotlib ``Figure``.

Figures are made with ``matplotlib.figure.Figure`` and the Agg canvas, never through pyplot's global state, so
kernels serving several screens do not share or leak figures.
"""
