"""Structured key=value logs (console) or JSON lines (production), on stderr."""

from __future__ import annotations

import logging
import sys

import structlog


class _Stderr:
    """Whatever `sys.stderr` is when a line is written: a logger made before a test harness
    or a daemon replaced it keeps writing to the live stream, not to a closed one."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


_STDERR = _Stderr()


def configure(level: str = "INFO", fmt: str = "console") -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.processors.KeyValueRenderer(key_order=["event"], drop_missing=True)
    )
    logging.basicConfig(level=level.upper(), stream=sys.stderr, format="%(message)s")
    # Client libraries narrate every connection at INFO; only their warnings matter to users.
    for noisy in ("kafka", "aiokafka", "alembic", "faust", "mode"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level.upper())))
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=_STDERR),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )


# Before `configure` (a library use, a test, a benchmark) logs still go to stderr, never
# into the output a command prints.
if not structlog.is_configured():
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(file=_STDERR))  # type: ignore[arg-type]


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(name)  # type: ignore[no-any-return]
