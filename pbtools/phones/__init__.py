"""Voting from phones, without any web server: how a hearing takes phone ballots (``mode``), how a submitted form
becomes a ballot (``form``), what a voter's page shows of a hearing (``view``), and the laptop's address on the hall
network (``address``). The server (``pbtools.server.vote``) and the console's phone tab both use these."""
