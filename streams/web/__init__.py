"""What the HTTP API and the dashboard share, served as they are by one process: the errors
answered, API keys, request dependencies, the SSE loop, the subscription store, and the
reads behind the change feed and its cursor. `streams.server` puts the two together."""
