"""The central server's side of pbtools: many municipalities in one PostgreSQL database, and who may use which."""
