"""The subscriptions page: a key's subscriptions with their latest deliveries; create, pause,
resume and delete them through the same repository and checks as /v1/subscriptions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from models.alerts import SubscriptionPatch
from models.events import EVENT_TYPES, STATUSES
from models.state import DIMENSIONS
from streams.dashboard.auth import FormDep, Refused, Viewer, ViewerDep, first, writer
from streams.dashboard.render import html
from streams.dashboard.subscription_form import subscription_from_form
from streams.errors import InvalidInput
from streams.ssrf import UnsafeUrl, check_saved_url
from streams.web import repository
from streams.web.deps import EngineDep, SealerDep, SettingsDep
from streams.web.errors import ApiError

router = APIRouter(include_in_schema=False)

DELIVERIES_SHOWN = 5
DONE = {"paused": "Subscription paused.", "resumed": "Subscription resumed.",
        "deleted": "Subscription deleted."}  # fmt: skip


def _page(
    who: Viewer,
    engine: EngineDep,
    *,
    status: int = 200,
    notice: str = "",
    problem: str = "",
    secret: str = "",
    form: dict[str, list[str]] | None = None,
) -> HTMLResponse:
    with engine.connect() as conn:
        subs = repository.list_for(conn, who.key.id)
        deliveries: dict[str, list[dict[str, Any]]] = {
            s.id: repository.deliveries(conn, who.key.id, s.id, DELIVERIES_SHOWN) for s in subs
        }
    return html(
        "subscriptions.html",
        status=status,
        who=who,
        page="subscriptions",
        subscriptions=subs,
        deliveries=deliveries,
        notice=notice,
        problem=problem,
        secret=secret,
        form=form or {},
        dimensions=DIMENSIONS,
        event_types=EVENT_TYPES,
        statuses=STATUSES,
    )


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions(who: ViewerDep, engine: EngineDep, done: str = "") -> HTMLResponse:
    return _page(who, engine, notice=DONE.get(done, ""))


@router.post("/subscriptions", response_class=HTMLResponse)
def create(
    who: ViewerDep, form: FormDep, engine: EngineDep, settings: SettingsDep, sealer: SealerDep
) -> HTMLResponse:
    writer(who)
    try:
        new = subscription_from_form(form)
        if new.filters.largest() > settings.max_filter_items:
            raise InvalidInput(f"a filter list may hold at most {settings.max_filter_items} items")
        if new.webhook_url is not None:
            check_saved_url(str(new.webhook_url), allow_private=settings.private_urls_allowed())
        with engine.begin() as conn:
            made = repository.create(conn, who.key.id, new, sealer)
    except (ValueError, UnsafeUrl, ApiError) as exc:
        return _page(who, engine, status=422, problem=str(exc), form=form)
    return _page(who, engine, status=201, notice="Subscription created.", secret=made.secret or "")


@router.post("/subscriptions/{sub_id}/active")
def set_active(
    sub_id: str, who: ViewerDep, form: FormDep, engine: EngineDep, sealer: SealerDep
) -> RedirectResponse:
    writer(who)
    change = SubscriptionPatch(active=first(form, "active") == "true")
    with engine.begin() as conn:
        _found(lambda: repository.patch(conn, who.key.id, sub_id, change, sealer))
    return RedirectResponse(f"/subscriptions?done={'resumed' if change.active else 'paused'}", 303)


@router.post("/subscriptions/{sub_id}/delete")
def delete(sub_id: str, who: ViewerDep, form: FormDep, engine: EngineDep) -> RedirectResponse:
    writer(who)
    with engine.begin() as conn:
        _found(lambda: repository.remove(conn, who.key.id, sub_id))
    return RedirectResponse("/subscriptions?done=deleted", 303)


def _found(work: Any) -> None:
    try:
        work()
    except ApiError as exc:
        raise Refused(exc.status, str(exc)) from None
