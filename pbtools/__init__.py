"""pbtools: participatory budgeting and public budget hearings.

Importing this package loads nothing of Jupyter: the apps live in ``widgets`` and the server in ``pbtools.server``.
"""

__version__ = "0.1.0"
