"""The HTTP API: subscriptions, reads of the dyad state, the live alert stream, metrics."""
