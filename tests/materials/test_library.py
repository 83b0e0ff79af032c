"""Finding materials (words, theme, language, pages), and who may edit, delete, attach and
detach; every change in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.groups.models import Theme
from remote_groups.materials import service
from remote_groups.materials.models import (
    Material,
    MaterialAttachment,
    MaterialFile,
    MaterialLanguage,
)

from .conftest import PDF, upload_data


def _add(world, db_session, title_fi, theme=Theme.NUTRITION, language=MaterialLanguage.FI,
         description_fi="", by=None, data=None):
    details = service.Details(title_fi=title_fi, title_sv="", description_fi=description_fi,
                              description_sv="", theme=theme, language=language,
                              url=None if data else "https://example.org/" + title_fi[:5])
    actor = by or world.facilitator
    if data:
        from remote_groups.materials.rules import sniff

        material = service.add_file(details, data, sniff(data), actor)
    else:
        material = service.add_link(details, actor)
    db_session.commit()
    return material


def _titles(html, materials):
    return {m.title_fi for m in materials if f"/staff/materials/{m.id}\"" in html}


def test_search_by_words_theme_and_language(client, login, world, db_session):
    a = _add(world, db_session, "Arjen ruokailu", description_fi="Välipalat ja ÄYRÄPÄÄ")
    b = _add(world, db_session, "Liikunta kotona", theme=Theme.EXERCISE,
             language=MaterialLanguage.SV)
    c = _add(world, db_session, "Ruokakolmio", language=MaterialLanguage.BOTH)
    d = _add(world, db_session, "100% _erikoinen_", theme=Theme.CULTURE)
    everything = [a, b, c, d]
    login(world.outsider)  # staff of every area find them
    html = client.get("/fi/staff/materials/").get_data(as_text=True)
    assert _titles(html, everything) == {m.title_fi for m in everything}
    # Words in any case, in the title or the description, every word must match.
    html = client.get("/fi/staff/materials/?q=RUOKA").get_data(as_text=True)
    assert _titles(html, everything) == {"Arjen ruokailu", "Ruokakolmio"}
    html = client.get("/fi/staff/materials/?q=äyräpää+välipalat").get_data(as_text=True)
    assert _titles(html, everything) == {"Arjen ruokailu"}
    html = client.get("/fi/staff/materials/?q=ruoka+kotona").get_data(as_text=True)
    assert _titles(html, everything) == set()
    # LIKE's own characters are plain text in a search.
    html = client.get("/fi/staff/materials/?q=%25").get_data(as_text=True)
    assert _titles(html, everything) == {"100% _erikoinen_"}
    html = client.get("/fi/staff/materials/?q=_").get_data(as_text=True)
    assert _titles(html, everything) == {"100% _erikoinen_"}
    html = client.get("/fi/staff/materials/?theme=exercise").get_data(as_text=True)
    assert _titles(html, everything) == {"Liikunta kotona"}
    # Finnish: the Finnish ones and the bilingual one.
    html = client.get("/fi/staff/materials/?language=fi").get_data(as_text=True)
    assert _titles(html, everything) == {"Arjen ruokailu", "Ruokakolmio", "100% _erikoinen_"}
    html = client.get("/fi/staff/materials/?language=sv&q=ruoka").get_data(as_text=True)
    assert _titles(html, everything) == {"Ruokakolmio"}
    # Nonsense filters are ignored, never a 500.
    response = client.get("/fi/staff/materials/?theme=x&language=y&page=abc&q=" + "a" * 500)
    assert response.status_code == 200


def test_pages_of_results(client, login, world, db_session):
    for n in range(service.PER_PAGE + 3):
        _add(world, db_session, f"Materiaali {n:02d}")
    login(world.facilitator)
    first = client.get("/fi/staff/materials/?q=materiaali").get_data(as_text=True)
    assert first.count("/staff/materials/") - first.count("/staff/materials/new") >= 20
    assert "page=2" in first and "q=materiaali" in first
    second = client.get("/fi/staff/materials/?q=materiaali&page=2").get_data(as_text=True)
    assert "Materiaali 00" in second and "Materiaali 22" not in second
    assert "23" in second
    assert client.get("/fi/staff/materials/?page=99").status_code == 200


def test_who_may_edit_and_delete(client, login, world, db_session):
    material = _add(world, db_session, "Oma ohje", data=PDF)
    edit = f"/fi/staff/materials/{material.id}/edit"
    form = {"title_fi": "Uusi nimi", "title_sv": "", "description_fi": "", "description_sv": "",
            "theme": "rest", "language": "fi"}
    for stranger in (world.outsider, world.outside_coordinator):
        client.post("/fi/staff/logout")
        login(stranger)
        assert client.post(edit, data=form).status_code == 403
        assert client.post(f"/fi/staff/materials/{material.id}/delete").status_code == 403
    client.post("/fi/staff/logout")
    login(world.coordinator)  # the uploader's area's coordinator
    assert client.post(edit, data=form).status_code == 303
    db_session.expire_all()
    assert material.title_fi == "Uusi nimi" and material.theme == Theme.REST
    assert material.search_text == "uusi nimi"
    client.post("/fi/staff/logout")
    login(world.facilitator)  # the uploader
    bad = client.post(edit, data={**form, "title_fi": ""})
    assert bad.status_code == 400 and 'id="title_fi-error"' in bad.get_data(as_text=True)
    assert client.post(f"/fi/staff/materials/{material.id}/delete").status_code == 303
    assert db_session.scalar(select(Material)) is None
    assert db_session.scalar(select(MaterialFile)) is None  # the bytes go with the last user
    actions = list(db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject == "material")
        .order_by(AuditEntry.id)))
    assert actions == ["material.upload", "material.edit", "material.delete"]


def test_the_same_file_is_stored_once(client, login, world, db_session):
    login(world.facilitator)
    for title in ("Eka", "Toka"):
        client.post("/fi/staff/materials/new", data=upload_data(PDF, title_fi=title),
                    content_type="multipart/form-data")
    assert len(db_session.scalars(select(Material)).all()) == 2
    assert len(db_session.scalars(select(MaterialFile)).all()) == 1
    first = db_session.scalar(select(Material).where(Material.title_fi == "Eka"))
    client.post(f"/fi/staff/materials/{first.id}/delete")
    assert len(db_session.scalars(select(MaterialFile)).all()) == 1  # still used by "Toka"


def test_attach_to_a_session_and_a_group_and_detach(client, login, world, db_session):
    material = _add(world, db_session, "Venyttely", data=PDF, by=world.outsider)
    login(world.facilitator)  # not the uploader: anyone may attach to their own groups
    page = client.get(f"/fi/staff/materials/{material.id}").get_data(as_text=True)
    assert f'value="s{world.open_session.id}"' in page and f'value="g{world.course.id}"' in page
    url = f"/fi/staff/materials/{material.id}/attach"
    assert client.post(url, data={"target": f"s{world.open_session.id}"}).status_code == 303
    assert client.post(url, data={"target": f"g{world.course.id}"}).status_code == 303
    # Twice is once.
    client.post(url, data={"target": f"g{world.course.id}"})
    attachments = db_session.scalars(select(MaterialAttachment)
                                     .order_by(MaterialAttachment.id)).all()
    assert [(a.session_id, a.group_id) for a in attachments] == [
        (world.open_session.id, None), (None, world.course.id)]
    assert client.post(url, data={"target": "zzz"}).status_code == 303  # refused politely
    client.post("/fi/staff/logout")
    # Another area's facilitator sees no choice for these groups and cannot post one.
    login(world.outsider)
    page = client.get(f"/fi/staff/materials/{material.id}").get_data(as_text=True)
    assert f'value="s{world.open_session.id}"' not in page
    assert client.post(url, data={"target": f"g{world.open_group.id}"}).status_code == 403
    assert client.post(url, data={"target": f"s{world.course_session.id}"}).status_code == 403
    assert len(db_session.scalars(select(MaterialAttachment)).all()) == 2
    detach = f"/fi/staff/materials/{material.id}/attachments/{attachments[0].id}/detach"
    assert client.post(detach).status_code == 403
    client.post("/fi/staff/logout")
    login(world.facilitator)
    assert client.post(detach).status_code == 303
    assert len(db_session.scalars(select(MaterialAttachment)).all()) == 1
    actions = list(db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject == "material")
        .order_by(AuditEntry.id)))
    assert actions == ["material.link" if not material.is_file else "material.upload",
                       "material.attach", "material.attach", "material.detach"]
