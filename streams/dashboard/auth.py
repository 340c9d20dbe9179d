"""Who is looking: the session behind the cookie, and the checks every form post passes."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from streams.dashboard.sessions import session_key
from streams.dashboard.tokens import COOKIE, csrf_for, csrf_valid, plausible
from streams.web.deps import EngineDep
from streams.web.keys import ApiKey

MAX_FIELDS = 100


class SignInNeeded(Exception):
    """No live session: the visitor is sent to the sign-in page."""


class Refused(Exception):
    """A page request we will not serve, with the status and the sentence shown for it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Viewer:
    key: ApiKey
    token: str

    @property
    def csrf(self) -> str:
        return csrf_for(self.token)


def viewer(request: Request, engine: EngineDep) -> Viewer:
    token = request.cookies.get(COOKIE)
    if token is None or not plausible(token):
        raise SignInNeeded
    with engine.connect() as conn:
        key = session_key(conn, token)
    if key is None:
        raise SignInNeeded
    return Viewer(key, token)


def same_origin(request: Request) -> bool:
    """A browser names the page a post came from; it must be one of ours."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    return urllib.parse.urlsplit(origin).netloc == request.headers.get("host", "")


def parse_form(body: bytes) -> dict[str, list[str]]:
    """An url-encoded form; malformed or oversized input is a refusal, not a crash."""
    try:
        return urllib.parse.parse_qs(
            body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "The form could not be read.") from None


def first(form: dict[str, list[str]], field: str) -> str:
    values = form.get(field) or [""]
    return values[0]


async def posted_form(request: Request) -> dict[str, list[str]]:
    if not same_origin(request):
        raise Refused(403, "This form was sent from another site.")
    return parse_form(await request.body())


async def checked_form(
    request: Request, who: Annotated[Viewer, Depends(viewer)]
) -> dict[str, list[str]]:
    """The form of a signed-in visitor, if it carries the session's CSRF token."""
    form = await posted_form(request)
    if not csrf_valid(who.token, first(form, "csrf")):
        raise Refused(403, "This form has expired or was not sent from this dashboard.")
    return form


def writer(who: Viewer) -> Viewer:
    if who.key.read_only:
        raise Refused(403, "This key is read-only: it can look at everything but change nothing.")
    return who


ViewerDep = Annotated[Viewer, Depends(viewer)]
FormDep = Annotated[dict[str, list[str]], Depends(checked_form)]
