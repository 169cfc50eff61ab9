"""Who sees what of an account: names and roles are for everyone signed in; an email is for
the account itself and admins (who manage accounts), so one leaked token cannot harvest them."""

from __future__ import annotations

from users.service.model import User


def shows_email(user: User, *, viewer_id: int | None, viewer_role: str) -> bool:
    return viewer_role == "admin" or (viewer_id is not None and viewer_id == user.id)
