"""Who may do what. Every staff view goes through `staff_required`; the finer rules
(which groups and sessions a user may touch) are plain functions, easy to test."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from .models import Role, User

F = TypeVar("F", bound=Callable[..., Any])


def staff_required(*roles: Role) -> Callable[[F], F]:
    """Signed in, and (when roles are given) one of them; admins pass every role check."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if roles and current_user.role not in roles and current_user.role != Role.ADMIN:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


def can_manage_group(user: User, area_ids: set[int]) -> bool:
    """Staff of a co-running area manage the group; admins manage everything."""
    return user.role == Role.ADMIN or user.area_id in area_ids
