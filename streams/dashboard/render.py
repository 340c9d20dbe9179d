"""Templates shipped in the package, rendered with every value escaped, and the headers that
keep a page from loading anything but our own files."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from streams.dashboard import display
from streams.feeds.schedule import format_every

# Scripts and styles only from our own /static files: no inline code, nothing from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("streams.dashboard", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        name=display.name,
        tone=display.tone,
        direction=display.direction,
        since=display.since,
        shown_date=display.shown_date,
        basis_text=display.basis_text,
        precision_text=display.precision_text,
        percent=display.percent,
        ordered=display.ordered,
        utc_minute=display.utc_minute,
        every=format_every,
    )
    return env


def html(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    body = environment().get_template(template).render(**context)
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)
