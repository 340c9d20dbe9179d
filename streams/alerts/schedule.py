"""Pure: when a failed webhook delivery is tried again, and when it is given up."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    base: float = 1.0
    cap: float = 3600.0
    max_attempts: int = 20

    def delay(self, failures: int, rand: random.Random | None = None) -> float:
        """Seconds to wait after the `failures`-th failed attempt: exponential, capped, with
        jitter in its upper half so that receivers coming back are not hit all at once,
        yet no retry comes sooner than half its nominal delay."""
        nominal = min(self.cap, self.base * 2.0 ** (failures - 1))
        r = (rand or random).random()
        return nominal / 2 + r * nominal / 2

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts

    def horizon(self) -> float:
        """Nominal seconds from the first attempt to the last: how long a receiver may be down."""
        return sum(min(self.cap, self.base * 2.0 ** (n - 1)) for n in range(1, self.max_attempts))
