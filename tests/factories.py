"""Small builders for test data, with defaults that satisfy the model's rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Any

from remote_groups.db_types import utcnow
from remote_groups.groups.models import Group, GroupKind, InstructionLanguage, Session, Theme
from remote_groups.people.models import Area, FacilitatorKind, Role, User

_serial = count(1)


class Factory:
    def __init__(self, session: Any) -> None:
        self.session = session

    def area(self, code: str | None = None, languages: str = "fi", **kw: Any) -> Area:
        n = next(_serial)
        area = Area(code=code or f"area-{n}", name_fi=kw.pop("name_fi", f"Alue {n}"),
                    name_sv=kw.pop("name_sv", f"Område {n}"), languages=languages, **kw)
        self.session.add(area)
        self.session.flush()
        return area

    def user(self, area: Area | None = None, role: Role = Role.FACILITATOR,
             password: str = "correct horse battery", **kw: Any) -> User:
        n = next(_serial)
        user = User(
            email=kw.pop("email", f"user{n}@example.com"),
            first_name=kw.pop("first_name", f"Etu{n}"), last_name=kw.pop("last_name", f"Suku{n}"),
            area=area or self.area(), role=role,
            facilitator_kind=FacilitatorKind.PROFESSIONAL if role == Role.FACILITATOR else None,
            **kw,
        )
        user.set_password(password)
        self.session.add(user)
        self.session.flush()
        return user

    def group(self, areas: list[Area] | None = None, kind: GroupKind = GroupKind.OPEN,
              **kw: Any) -> Group:
        n = next(_serial)
        defaults: dict[str, Any] = {
            "theme": Theme.MENTAL_WELLBEING, "instruction_language": InstructionLanguage.FI,
            "title_fi": f"Ryhmä {n}", "title_sv": f"Grupp {n}", "summary_fi": "Lyhyesti",
            "summary_sv": "Kort",
        }
        if kind == GroupKind.CLOSED:
            defaults["capacity"] = 8
        defaults.update(kw)
        group = Group(kind=kind, **defaults)
        group.set_areas(areas or [self.area()])
        self.session.add(group)
        self.session.flush()
        return group

    def session_(self, group: Group | None = None, starts_at: datetime | None = None,
                 minutes: int = 90, host: Area | None = None,
                 facilitators: list[User] | None = None, **kw: Any) -> Session:
        group = group or self.group()
        start = starts_at or utcnow() + timedelta(days=1)
        session = Session(group=group, starts_at=start, ends_at=start + timedelta(minutes=minutes),
                          host_area=host or group.areas[0], facilitators=facilitators or [], **kw)
        self.session.add(session)
        self.session.flush()
        return session
