"""The feeds page: every feed the poller follows with its health, as /v1/feeds shows it;
a writer key adds, pauses, resumes and drops feeds through the same repository and checks."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from models.feeds import FeedIn
from streams.dashboard.auth import FormDep, Refused, Viewer, ViewerDep, first, writer
from streams.dashboard.form_errors import validation_sentence
from streams.dashboard.render import html
from streams.errors import ConfigError
from streams.feeds import repository
from streams.feeds.schedule import parse_every
from streams.ssrf import UnsafeUrl, check_saved_url
from streams.web.deps import EngineDep, SettingsDep

router = APIRouter(include_in_schema=False)

DONE = {"paused": "Feed paused.", "resumed": "Feed resumed.", "removed": "Feed removed."}


def _page(
    who: Viewer,
    engine: EngineDep,
    *,
    status: int = 200,
    notice: str = "",
    problem: str = "",
    form: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    with engine.connect() as conn:
        feeds = repository.list_all(conn)
    return html(
        "feeds.html",
        status=status,
        who=who,
        page="feeds",
        feeds=feeds,
        notice=notice,
        problem=problem,
        form=form or {},
    )


@router.get("/feeds", response_class=HTMLResponse)
def feeds(who: ViewerDep, engine: EngineDep, done: str = "") -> HTMLResponse:
    return _page(who, engine, notice=DONE.get(done, ""))


@router.post("/feeds", response_class=HTMLResponse)
def follow(who: ViewerDep, form: FormDep, engine: EngineDep, settings: SettingsDep) -> HTMLResponse:
    writer(who)
    try:
        wanted = FeedIn.model_validate(
            {
                "url": first(form, "url").strip(),
                "every": first(form, "every").strip() or "15m",
                "lang": first(form, "lang").strip() or None,
            }
        )
        every = parse_every(wanted.every)
        check_saved_url(wanted.url, allow_private=settings.private_urls_allowed())
    except ValidationError as exc:
        return _page(who, engine, status=422, problem=validation_sentence(exc, FeedIn), form=form)
    except (ConfigError, UnsafeUrl) as exc:
        return _page(who, engine, status=422, problem=str(exc), form=form)
    with engine.begin() as conn:
        repository.add(conn, wanted.url, every, wanted.lang)
    return _page(who, engine, status=201, notice="Feed followed: it is polled at once.")


@router.post("/feeds/{feed_id}/paused")
def set_paused(feed_id: str, who: ViewerDep, form: FormDep, engine: EngineDep) -> RedirectResponse:
    writer(who)
    paused = first(form, "paused") == "true"
    with engine.begin() as conn:
        if repository.set_paused(conn, feed_id, paused) is None:
            raise Refused(404, f"no feed {feed_id}")
    return RedirectResponse(f"/feeds?done={'paused' if paused else 'resumed'}", 303)


@router.post("/feeds/{feed_id}/remove")
def remove(feed_id: str, who: ViewerDep, form: FormDep, engine: EngineDep) -> RedirectResponse:
    writer(who)
    with engine.begin() as conn:
        if not repository.remove(conn, feed_id):
            raise Refused(404, f"no feed {feed_id}")
    return RedirectResponse("/feeds?done=removed", 303)
