"""Public budget hearings: agenda, registration at the door, voting codes, ballots and show-of-hands counts.

A hearing is one ledger stream ``hearing:<id>`` in the workspace; its state is a pure fold of the records.

- ``model``: Hearing, Option, Question, Participant, Ballot and the enumerations (with ``label(code, lang)``).
- ``ballots.validate(question, options, ballot, budget)``: every problem of a ballot, as ``Msg``.
- ``entry``: what a clerk types -> Ballot (``read_entry``); double-entry comparison (``compare_entries``);
  how to type a question's ballot (``paper_hint``).
- ``codes``: one-time voting codes (``new_codes``, ``check_code``); ``cards.write_cards``: the printable PDF.
- ``agenda_io``: ``read_agenda`` / ``write_agenda`` (CSV, XLSX).
- ``store``: ``create_hearing``, ``HearingStore`` (register, cast, record_invalid, enter_count, void, open, close, refresh),
  ``state``, ``hearing_ids``; ``fold``: HearingState and its counters.
- ``writes``: ``HearingWriter``, what every change of a hearing goes through (``write``, ``require``), below
  ``store`` and the modules that make one kind of change (``agenda_changes``, ``double_entry``).
- ``errors``: ``HearingError`` and the refusals a caller tells apart by type (``CodeUsed``, ``AlreadyRecorded``,
  ``HearingClosed``, ``VotingNotOpen``, ``AgendaFixed``, ``AlreadyVoided``).
- ``tally``: plain per-option tallies (the counting rules live in ``pbtools.counting``).
- ``turnout``: a question's ballots (paper, phone, invalid) against the registrations, with the warning to show.
- ``sample.create_sample_hearing(ws, seed)``: the closed sample hearing of the demo workspace.
"""
