"""The dead-letter contract, shared by every stage: a record a stage cannot use goes to
`news.deadletter` with why (a stable reason, the detail, the exception class), where it came
from (stage, topic, partition, offset, key) and the payload itself, so nothing is lost and
`dyadwatch deadletter replay` can send it back where it came from once the cause is fixed."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from streams.errors import InvalidInput

Stage = Literal["ingest", "bridge", "detect", "state", "alerts"]
STAGES: tuple[str, ...] = Stage.__args__  # type: ignore[attr-defined]

# Reasons of the worker's stages; the input reasons are in `streams.article_messages`.
DETECTOR_ERROR = "detector_error"  # the detector raised on this article
STORE_ERROR = "store_error"  # PostgreSQL refused this record alone (a constraint, a value)
UNREADABLE = "unreadable"  # a record between our own stages that does not parse
STAGE_ERROR = "stage_error"  # the state or alerts stage raised on this record alone

# A letter must fit in one Kafka record (1 MiB by default, for producers and brokers alike).
MAX_LETTER = 900 * 1024
KEPT_PAYLOAD = 256 * 1024


class DeadLetter(BaseModel):
    """One dead letter as it is read back."""

    model_config = ConfigDict(extra="ignore")

    stage: str = "ingest"  # letters written before stages were named came from ingestion
    reason: str
    detail: str = ""
    error: str | None = None
    origin: dict[str, Any] = {}
    at: dt.datetime | None = None
    key: str | None = None
    # The message's bytes as text, or (from file ingestion) the decoded record itself.
    payload: Any = None
    payload_base64: str | None = None
    # Set when the payload was too large to travel whole in its letter (see MAX_LETTER).
    payload_truncated: bool = False
    payload_size: int | None = None
    payload_sha256: str | None = None

    def payload_bytes(self) -> bytes:
        """The payload as it travels on a topic."""
        if self.payload_base64 is not None:
            return base64.b64decode(self.payload_base64)
        if isinstance(self.payload, str):
            return self.payload.encode("utf-8", errors="surrogatepass")
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8", errors="surrogatepass")

    def key_bytes(self) -> bytes | None:
        return None if self.key is None else self.key.encode("utf-8", errors="surrogatepass")


def encode_letter(
    stage: Stage,
    reason: str,
    detail: str,
    origin: dict[str, Any],
    payload: object,
    *,
    error: BaseException | None = None,
    key: bytes | None = None,
) -> bytes:
    """The dead-letter record as bytes. Never raises on what the payload holds: bytes that
    are not clean UTF-8 travel as base64, anything else as JSON with repr() as last resort."""
    body: dict[str, Any] = {
        "stage": stage,
        "reason": reason,
        "detail": detail[:2000],
        "error": type(error).__name__ if error is not None else None,
        "origin": origin,
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    if key is not None:
        body["key"] = key.decode("utf-8", errors="replace")
    if isinstance(payload, bytes):
        try:
            # Strict UTF-8 decoding refuses encoded surrogates too: the text travels as is.
            body["payload"] = payload.decode("utf-8")
        except UnicodeError:
            body["payload_base64"] = base64.b64encode(payload).decode("ascii")
    else:
        body["payload"] = payload
    encoded = _dumps(body, payload)
    if len(encoded) <= MAX_LETTER:
        return encoded
    # Larger than a Kafka record may be: the letter keeps the payload's head, size and hash;
    # the whole payload stays at its origin offset, where replay fetches it.
    whole = payload if isinstance(payload, bytes) else _payload_json(payload)
    body.pop("payload", None)
    if len(whole) * 4 // 3 + 4096 <= MAX_LETTER:  # text that JSON escapes swell: base64 fits
        body["payload_base64"] = base64.b64encode(whole).decode("ascii")
        return _dumps(body, None)
    body["payload_base64"] = base64.b64encode(whole[:KEPT_PAYLOAD]).decode("ascii")
    body["payload_truncated"] = True
    body["payload_size"] = len(whole)
    body["payload_sha256"] = hashlib.sha256(whole).hexdigest()
    return _dumps(body, None)


def _payload_json(payload: object) -> bytes:
    try:
        return json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    except (ValueError, RecursionError, TypeError):
        return repr(payload).encode("utf-8", "surrogatepass")


def _dumps(body: dict[str, Any], payload: object) -> bytes:
    try:
        return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeError:  # lone surrogates in a decoded payload: escaped, kept as they are
        return json.dumps(body, ensure_ascii=True, default=str).encode("ascii")
    except (ValueError, RecursionError, TypeError):
        try:
            body["payload"] = repr(payload)
        except RecursionError:
            body["payload"] = "(a payload nested too deep to show)"
        return json.dumps(body, ensure_ascii=True).encode("ascii")


def decode_letter(raw: bytes) -> DeadLetter:
    """A dead-letter record read back; InvalidInput when it is not one."""
    try:
        # Python's parser, not pydantic's: an escaped lone surrogate of a payload is kept.
        letter = DeadLetter.model_validate(json.loads(raw))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InvalidInput(f"not a dead letter: {exc}") from None
    except ValidationError as exc:
        raise InvalidInput(f"not a dead letter: {str(exc).splitlines()[0]}") from None
    if letter.payload_base64 is not None:
        try:
            base64.b64decode(letter.payload_base64, validate=True)
        except binascii.Error as exc:
            raise InvalidInput(f"not a dead letter: bad payload_base64 ({exc})") from None
    return letter


def letter_row(
    stage: Stage, reason: str, detail: str, origin: dict[str, Any], error: BaseException | None
) -> dict[str, Any]:
    """The dead letter as a `dead_letters` row: counted by stage and reason."""
    return {
        "stage": stage,
        "reason": reason,
        "error": type(error).__name__ if error is not None else None,
        "detail": detail[:2000],
        "origin_topic": origin.get("topic"),
        "origin_partition": origin.get("partition"),
        "origin_offset": origin.get("offset"),
    }


@dataclass
class Letters:
    """The dead letters one batch of a stage collects: bytes for the topic, rows for
    PostgreSQL."""

    stage: Stage
    encoded: list[bytes] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        reason: str,
        detail: str,
        origin: dict[str, Any],
        payload: object,
        *,
        error: BaseException | None = None,
        key: bytes | None = None,
    ) -> None:
        self.encoded.append(
            encode_letter(self.stage, reason, detail, origin, payload, error=error, key=key)
        )
        self.rows.append(letter_row(self.stage, reason, detail, origin, error))

    def __len__(self) -> int:
        return len(self.encoded)
