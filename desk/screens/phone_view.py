"""A lead's number as the person at the keyboard may see it, for every screen and dialog.

The screens know who is signed in (``app.user``) and whether the center has PINs
(``app.guarded``); ``desk.phones.shown_phone`` decides from those and the lead's owner.
"""

from __future__ import annotations

from typing import Any

from desk.phones import shown_phone


def shown(app: Any, e164: str | None, owner_id: int | None, *, at_triage: bool = False,
          typed_by: int | None = None) -> str:
    """``e164`` in full or masked (``138****5678``) for ``app``'s signed-in user."""
    user = app.user
    return shown_phone(e164, viewer_id=user.id if user is not None else None,
                       viewer_role=user.role if user is not None else None, owner_id=owner_id,
                       guarded=app.guarded, at_triage=at_triage, typed_by=typed_by)
