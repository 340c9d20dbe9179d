"""Puts the dashboard on the API's application: its pages at /, its files at /static."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from streams.dashboard import account, feed, feeds_page, pages, subscription_pages
from streams.dashboard.auth import Refused, SignInNeeded
from streams.dashboard.render import html
from streams.listen import CHANGES_CHANNEL, Listener

STATIC = Path(__file__).with_name("static")


def mount(app: FastAPI, database_url: str) -> Listener:
    """Adds the pages; returns the change-feed listener for the app's lifespan to run."""
    listener = Listener(database_url, CHANGES_CHANNEL)
    app.state.changes_listener = listener

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> RedirectResponse:
        return RedirectResponse("/sign-in", status_code=303)

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> HTMLResponse:
        return html("refused.html", status=exc.status, who=None, page="", message=exc.message)

    for module in (account, pages, subscription_pages, feeds_page, feed):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return listener
