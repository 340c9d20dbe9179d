"""The feeds dyadwatch follows: their registry in PostgreSQL, their schedules and the keys of
their items. The poller (ingest) and the API both ask it."""
