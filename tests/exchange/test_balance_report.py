"""The balance report against figures counted by hand, on the page and in every CSV.

March 2027 (Helsinki). Areas: A serves Swedish and Finnish, B and C Finnish.
- A's Swedish group: A hosts 90 min on 2 March; a session on 9 March is cancelled.
- B's Swedish group: A hosts 2 x 120 min for B (an exchange) on 3 and 10 March.
- B's Finnish group: B hosts 60 min on 4 March, and 60 min on 1 April (outside).
- C's group in both languages: C hosts 90 min on 5 March.
- C's Finnish group: B hosts 60 min for C (an exchange) on 6 March; a second exchange
  session on 13 March is cancelled.
Expected, in hours: A fi 0, sv 5.5, hosted 4.0, received 0, net 4.0; B fi 2.0, sv 0,
hosted 1.0, received 4.0, net -3.0; C fi 1.5, sv 1.5, hosted 0, received 1.0, net -1.0."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from remote_groups.exchange.models import (
    Exchange,
    ExchangePost,
    ExchangeReply,
    ExchangeSession,
    PostKind,
)
from remote_groups.groups.models import InstructionLanguage, SessionStatus, Theme
from remote_groups.people.models import Role
from remote_groups.rules.rotation import local_to_utc

QUERY = "?start=2027-03-01&end=2027-03-31"


def _at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return local_to_utc(date(2027, month, day), time(hour))


def _exchange(db_session, host, receiver, language, sessions):
    post = ExchangePost(kind=PostKind.OFFER, area_id=host.id, language=language,
                        theme=Theme.NUTRITION, session_count=len(sessions),
                        period_start=date(2027, 3, 1), period_end=date(2027, 3, 31))
    reply = ExchangeReply(post=post, area_id=receiver.id)
    exchange = Exchange(host_area_id=host.id, receiving_area_id=receiver.id,
                        language=language, minutes=sum(
                            int((s.ends_at - s.starts_at).total_seconds() // 60)
                            for s in sessions),
                        members=[ExchangeSession(session_id=s.id) for s in sessions])
    db_session.add_all([post, reply])
    db_session.flush()
    exchange.reply_id = reply.id
    db_session.add(exchange)
    db_session.flush()


@pytest.fixture
def hand_set(make, db_session):
    a = make.area(code="a", languages="sv,fi", name_fi="Alue A", name_sv="Område A")
    b = make.area(code="b", languages="fi", name_fi="Alue B", name_sv="Område B")
    c = make.area(code="c", languages="fi", name_fi="Alue C", name_sv="Område C")
    sv, fi, both = InstructionLanguage.SV, InstructionLanguage.FI, InstructionLanguage.BOTH
    g_a_sv = make.group(areas=[a], title_fi="A ruotsiksi", title_sv="A på svenska",
                        instruction_language=sv)
    g_b_sv = make.group(areas=[b, a], title_fi="B ruotsiksi", title_sv="B på svenska",
                        instruction_language=sv)
    g_b_fi = make.group(areas=[b], title_fi="B suomeksi", title_sv="B på finska",
                        instruction_language=fi)
    g_c_both = make.group(areas=[c], title_fi="C kaksikielinen", title_sv="C tvåspråkig",
                          instruction_language=both)
    g_c_fi = make.group(areas=[c, b], title_fi="C suomeksi", title_sv="C på finska",
                        instruction_language=fi)
    make.session_(group=g_a_sv, host=a, starts_at=_at(2), minutes=90)
    make.session_(group=g_a_sv, host=a, starts_at=_at(9), minutes=90,
                  status=SessionStatus.CANCELLED)
    for_b = [make.session_(group=g_b_sv, host=a, starts_at=_at(d), minutes=120)
             for d in (3, 10)]
    make.session_(group=g_b_fi, host=b, starts_at=_at(4), minutes=60)
    make.session_(group=g_b_fi, host=b, starts_at=_at(1, month=4), minutes=60)
    make.session_(group=g_c_both, host=c, starts_at=_at(5), minutes=90)
    for_c = [make.session_(group=g_c_fi, host=b, starts_at=_at(6), minutes=60),
             make.session_(group=g_c_fi, host=b, starts_at=_at(13), minutes=60,
                           status=SessionStatus.CANCELLED)]
    _exchange(db_session, a, b, "sv", for_b)
    _exchange(db_session, b, c, "fi", for_c)
    viewer = make.user(area=c, role=Role.COORDINATOR)
    db_session.commit()
    return viewer


def _csv(client, key, lang="fi"):
    response = client.get(f"/{lang}/staff/exchange/balance/{key}.csv{QUERY}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return response.get_data(as_text=True).lstrip("\ufeff").split("\r\n")[:-1]


def test_every_cell_of_the_balance_in_finnish(client, login, hand_set):
    login(hand_set)
    assert _csv(client, "balance") == [
        "Alue;Tunteja suomeksi;Tunteja ruotsiksi;Järjestetty muille alueille (h);"
        "Saatu muilta alueilta (h);Nettosaldo (h)",
        "Alue A;0,0;5,5;4,0;0,0;4,0",
        "Alue B;2,0;0,0;1,0;4,0;-3,0",
        "Alue C;1,5;1,5;0,0;1,0;-1,0",
        "Kaikki alueet;3,5;7,0;5,0;5,0;0,0",
    ]
    assert _csv(client, "exchanges") == [
        "Järjestäjäalue;Alueelle;Kieli;Tunnit",
        "Alue A;Alue B;ruotsi;4,0",
        "Alue B;Alue C;suomi;1,0",
    ]
    assert _csv(client, "areas-missing") == [
        "Alue;Kieli, jolla ei ole tapaamisia", "Alue A;suomi"]
    assert _csv(client, "groups-missing") == [
        "Ryhmä;Alueet;Kieli, jolla ei ole tapaamisia",
        "A ruotsiksi;Alue A;suomi",
        "B ruotsiksi;Alue B, Alue A;suomi",
    ]


def test_the_page_shows_tables_and_charts_in_swedish(client, login, hand_set):
    login(hand_set, lang="sv")
    page = client.get(f"/sv/staff/exchange/balance/{QUERY}").get_data(as_text=True)
    row = ('<th scope="row">Område B</th><td class="num">2</td><td class="num">0</td>'
           '<td class="num">1</td><td class="num">4</td><td class="num">-3</td>')
    for text in ("Balans mellan områdena", row, '<td class="num">5,5</td>',
                 'id="chart-exchange-title"',
                 "Timmar som arrangerats för andra områden och fåtts från dem"):
        assert text in page, text
    assert _csv(client, "balance", "sv")[1] == "Område A;0,0;5,5;4,0;0,0;4,0"


def test_a_wrong_period_is_shown_next_to_the_field_and_not_a_server_error(client, login,
                                                                         hand_set):
    login(hand_set)
    response = client.get("/fi/staff/exchange/balance/?start=2027-03-31&end=2027-03-01")
    assert response.status_code == 200
    assert client.get("/fi/staff/exchange/balance/nothing.csv").status_code == 404
    assert client.get("/fi/staff/exchange/balance/?start=banana").status_code == 200
