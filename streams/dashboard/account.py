"""Signing in with an API key through a form, and signing out."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from streams.dashboard.auth import FormDep, ViewerDep, first, posted_form
from streams.dashboard.render import html
from streams.dashboard.sessions import close_session, open_session
from streams.dashboard.tokens import clearing_cookie_header, cookie_header
from streams.web import keys
from streams.web.deps import EngineDep, SettingsDep

router = APIRouter(include_in_schema=False)

# A wrong key costs its sender this long: guessing 256-bit keys is hopeless anyway, but a
# sign-in form should not answer as fast as it can be asked.
WRONG_KEY_DELAY = 0.5


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form() -> HTMLResponse:
    return html("sign_in.html", who=None, page="sign-in", refused=False)


@router.post("/sign-in", response_model=None)
async def sign_in(
    engine: EngineDep,
    settings: SettingsDep,
    form: Annotated[dict[str, list[str]], Depends(posted_form)],
) -> Response:
    given = first(form, "key").strip()
    found = None
    if given and len(given) <= 200:
        found = await asyncio.to_thread(_lookup, engine, given)
    if found is None:
        await asyncio.sleep(WRONG_KEY_DELAY)
        return html("sign_in.html", status=401, who=None, page="sign-in", refused=True)
    lifetime = dt.timedelta(hours=settings.session_hours)
    with engine.begin() as conn:
        token = open_session(conn, found, lifetime)
    response = RedirectResponse("/", status_code=303)
    response.headers["Set-Cookie"] = cookie_header(token, int(lifetime.total_seconds()))
    return response


def _lookup(engine: EngineDep, given: str) -> keys.ApiKey | None:
    with engine.connect() as conn:
        return keys.lookup(conn, given)


@router.post("/sign-out")
def sign_out(who: ViewerDep, form: FormDep, engine: EngineDep) -> RedirectResponse:
    with engine.begin() as conn:
        close_session(conn, who.token)
    response = RedirectResponse("/sign-in", status_code=303)
    response.headers["Set-Cookie"] = clearing_cookie_header()
    return response
