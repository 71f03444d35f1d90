"""The data-access layer: every query and every write of desk, and nothing else.

Screens and CLI commands call these functions with a :class:`Store`; none of them builds SQL.
Each write function is one transaction (``Store.write``) that also appends to the audit trail
who did it, so "saved" on screen always means committed.
"""

from desk.dal.store import Store

__all__ = ["Store"]
