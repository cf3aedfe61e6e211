"""Training: sandbox workspaces made from the sample municipality, and simulated halls of voters.

* ``sandbox``: ``create_sandbox`` / ``reset_sandbox`` / ``remove_sandbox`` / ``list_sandboxes``; a sandbox is a
  workspace folder under one sandboxes folder, marked at creation, and nothing here ever touches another folder.
* ``mock_hearing``: the open hearing of a sandbox, one question of every ballot kind, ready for a mock vote.
* ``population``: who comes to a simulated hall (village, sex, age group), sized like real hearings.
* ``preferences``: what each simulated voter thinks of each option (``simulate_preferences``), and the ballot of any
  kind those preferences give (``ballot_for``).
* ``simulate``: a simulated hall voting into a workspace's open hearing through the real entry paths (door
  registration and paper entry, or voting codes and the phone form), ``simulate_hall``.
* ``whatif``: the same preferences as ballots of another kind, counted by every rule, written nowhere.

No widgets here (the Training app's screens are in ``widgets/``).
"""
