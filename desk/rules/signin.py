"""How sign-in answers wrong PINs and idle time (docs/domain.md §1.3)."""

from __future__ import annotations

# Three wrong PINs are a typo; after that each one doubles the wait, up to 5 minutes.
FREE_TRIES = 3
MAX_WAIT_SECONDS = 300


def wait_after(failures: int) -> int:
    """Seconds to wait before the next try after ``failures`` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return 0
    return min(MAX_WAIT_SECONDS, 1 << min(failures - FREE_TRIES + 2, 16))


def locked_by_idle(idle_seconds: float, lock_after_minutes: int) -> bool:
    """Whether the screen locks: ``lock_after_minutes`` of no key; 0 never locks."""
    return lock_after_minutes > 0 and idle_seconds >= lock_after_minutes * 60
