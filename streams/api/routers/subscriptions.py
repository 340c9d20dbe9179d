"""/v1/subscriptions: a key's own subscriptions, and the deliveries made for them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from models.alerts import SubscriptionIn, SubscriptionOut, SubscriptionPatch
from streams.settings import Settings
from streams.ssrf import check_saved_url
from streams.web import repository
from streams.web.deps import (
    EngineDep,
    KeyDep,
    SealerDep,
    SettingsDep,
    WriterKeyDep,
    check_filter_sizes,
)
from streams.web.errors import documented

router = APIRouter(
    prefix="/v1/subscriptions", tags=["subscriptions"], responses=documented(401, 422, 429)
)

# A write carries a body and may be refused to a read-only key.
WRITE = documented(400, 403, 413)
ONE = documented(404)


def _check_url(url: object, settings: Settings) -> None:
    if url is not None:
        check_saved_url(str(url), allow_private=settings.private_urls_allowed())


@router.post(
    "", status_code=201, response_model_exclude_none=True, responses=WRITE | documented(409)
)
def create(
    body: SubscriptionIn,
    key: WriterKeyDep,
    engine: EngineDep,
    settings: SettingsDep,
    sealer: SealerDep,
) -> SubscriptionOut:
    """Subscribe. A webhook subscription without a secret gets one, shown in this answer only."""
    check_filter_sizes(body.filters, settings.max_filter_items)
    _check_url(body.webhook_url, settings)
    with engine.begin() as conn:
        return repository.create(conn, key.id, body, sealer)


@router.get("", response_model_exclude_none=True)
def list_all(key: KeyDep, engine: EngineDep) -> list[SubscriptionOut]:
    with engine.connect() as conn:
        return repository.list_for(conn, key.id)


@router.get("/{sub_id}", response_model_exclude_none=True, responses=ONE)
def read(sub_id: str, key: KeyDep, engine: EngineDep) -> SubscriptionOut:
    with engine.connect() as conn:
        return repository.get(conn, key.id, sub_id)


@router.patch(
    "/{sub_id}", response_model_exclude_none=True, responses=WRITE | ONE | documented(409)
)
def change(
    sub_id: str,
    body: SubscriptionPatch,
    key: WriterKeyDep,
    engine: EngineDep,
    settings: SettingsDep,
    sealer: SealerDep,
) -> SubscriptionOut:
    check_filter_sizes(body.filters, settings.max_filter_items)
    _check_url(body.webhook_url, settings)
    with engine.begin() as conn:
        return repository.patch(conn, key.id, sub_id, body, sealer)


@router.delete("/{sub_id}", status_code=204, responses=documented(403, 404))
def remove(sub_id: str, key: WriterKeyDep, engine: EngineDep) -> Response:
    with engine.begin() as conn:
        repository.remove(conn, key.id, sub_id)
    return Response(status_code=204)


@router.get("/{sub_id}/deliveries", responses=ONE)
def deliveries(
    sub_id: str,
    key: KeyDep,
    engine: EngineDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    """The latest webhook deliveries, each with its attempts (status codes, latency, errors)."""
    with engine.connect() as conn:
        return repository.deliveries(conn, key.id, sub_id, limit)
