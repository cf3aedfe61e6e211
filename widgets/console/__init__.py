"""The facilitator's console during a hearing: the hearing and its agenda, registration, paper ballots, counts."""

from pbtools_widgets.console.app import ConsoleApp

__all__ = ["ConsoleApp"]
