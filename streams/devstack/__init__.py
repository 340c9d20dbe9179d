"""The local stack `dyadwatch up` runs on one machine: the embedded broker (Tansu) and
PostgreSQL started as processes of their own, the state file other commands find them by,
and the supervision of workers, API and poller. Nothing on the runtime path imports it but
the command line, which resolves a running stack into the settings once."""
