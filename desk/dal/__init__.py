"""The data-access layer: every query and every write of desk, and nothing else.

Screens and CLI commands call these functions with a :class:`Store`; none of them builds SQL.
Each write function is one transaction (``Store.write``) that also appends to the audit trail
who did it, so "saved" on screen always means committed.
"""

__all__ = ["Store"]


def __getattr__(name: str):
    """``desk.dal.Store`` on first use: start-up reads its first screen without SQLAlchemy."""
    if name == "Store":
        from desk.dal.store import Store

        return Store
    raise AttributeError(f"module 'desk.dal' has no attribute {name!r}")
