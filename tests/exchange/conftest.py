"""A small network for the exchange tests: area A serves Swedish (and Finnish) and has a
Swedish-speaking facilitator; area B serves Finnish only and runs a Swedish group without
a facilitator for it; area C is a third area. Each has a coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from remote_groups.db_types import utcnow
from remote_groups.groups.models import InstructionLanguage, Theme
from remote_groups.i18n import local_time
from remote_groups.people.models import Role

from ..mail.conftest import settings  # noqa: F401 (the worker's settings, as a fixture)


@dataclass
class Net:
    a: Any
    b: Any
    c: Any
    coord_a: Any
    coord_b: Any
    coord_c: Any
    fac_a: Any
    fac_b: Any
    group_b: Any  # B's Swedish group
    today: date


@pytest.fixture
def net(make: Any, db_session: Any) -> Net:
    a = make.area(code="aa", languages="sv,fi", name_fi="Rannikon alue", name_sv="Kustområdet")
    b = make.area(code="bb", languages="fi", name_fi="Sisämaan alue", name_sv="Inlandsområdet")
    c = make.area(code="cc", languages="fi", name_fi="Pohjoisen alue", name_sv="Norra området")
    coords = [make.user(area=x, role=Role.COORDINATOR, first_name=f"Koordinaattori{x.code}")
              for x in (a, b, c)]
    fac_a = make.user(area=a, first_name="Saga", last_name="Handledare", language="sv",
                      email="saga.handledare@kust.invalid")
    fac_b = make.user(area=b, first_name="Olli", last_name="Ohjaaja",
                      email="olli.ohjaaja@sisamaa.invalid")
    group_b = make.group(areas=[b], title_fi="Ruokaa ja hyvinvointia",
                         title_sv="Mat och välbefinnande", theme=Theme.NUTRITION,
                         instruction_language=InstructionLanguage.SV)
    db_session.commit()
    return Net(a, b, c, coords[0], coords[1], coords[2], fac_a, fac_b, group_b,
               local_time(utcnow()).date())


def offer_form(net: Net, **changes: Any) -> dict[str, Any]:
    data = {"language": "sv", "theme": "nutrition", "session_count": 6,
            "period_start": (net.today + timedelta(days=30)).isoformat(),
            "period_end": (net.today + timedelta(days=120)).isoformat(),
            "when_text": "tiistaisin klo 14", "description_fi": "Ruotsinkielisiä tapaamisia.",
            "description_sv": "Träffar på svenska."}
    data.update(changes)
    return data


def answer_form(net: Net, **changes: Any) -> dict[str, Any]:
    data = {"group": net.group_b.id,
            "first_date": (net.today + timedelta(days=35)).isoformat(),
            "start_time": "14:00", "end_time": "15:30", "count": 2, "interval_weeks": 1,
            "message": "Kaksi tapaamista käy meille."}
    data.update(changes)
    return data


@pytest.fixture
def client_for(app: Any, db_session: Any) -> Any:
    """`client_for(user, lang)`: a test client of its own, signed in as that user."""

    def sign_in(user: Any, lang: str = "fi") -> Any:
        client = app.test_client()
        response = client.post(f"/{lang}/staff/login",
                               data={"email": user.email, "password": "correct horse battery"})
        assert response.status_code == 302, "sign-in failed"
        return client

    return sign_in
