"""Per-key request rates: a token bucket per API key, in the API process's memory.

Each key may send `rate` requests a second on average and `burst` at once; beyond that it
is answered 429 with the seconds to wait. Several API processes each keep their own
buckets, so N processes let a key send N times as much: the limit guards a process and the
database behind it from one client, it is not a quota."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(
        self, rate: float, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}
        # Endpoints run in a thread pool: two requests of one key may arrive together.
        self._lock = threading.Lock()

    def wait_for(self, key_id: str) -> float:
        """0.0 and a token taken if the key may go now, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            bucket = self._buckets.get(key_id)
            tokens = float(self.burst)
            if bucket is not None:
                tokens = min(tokens, bucket.tokens + (now - bucket.at) * self.rate)
            if tokens >= 1.0:
                self._buckets[key_id] = _Bucket(tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = _Bucket(tokens, now)
            return (1.0 - tokens) / self.rate
