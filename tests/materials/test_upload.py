"""Adding materials through the web: files checked by their bytes and size, links, and the
form that keeps what was typed when something is refused."""

from __future__ import annotations

from sqlalchemy import select

from remote_groups.audit import AuditEntry
from remote_groups.materials.models import Material, MaterialFile, MaterialKind

from .conftest import DOCX, HTML, ODT, PDF, PNG, SVG, upload_data


def _post(client, data, lang="fi"):
    return client.post(f"/{lang}/staff/materials/new", data=data,
                       content_type="multipart/form-data")


def test_a_facilitator_uploads_a_pdf(client, login, world, db_session):
    login(world.facilitator)
    response = _post(client, upload_data(PDF, "ohje.pdf"))
    assert response.status_code == 303
    material = db_session.scalar(select(Material))
    assert material.kind == MaterialKind.FILE and material.content_type == "application/pdf"
    assert material.area_id == world.west.id and material.added_by_id == world.facilitator.id
    assert db_session.get(MaterialFile, material.file_sha256).data == PDF
    [entry] = db_session.scalars(select(AuditEntry).where(AuditEntry.subject == "material"))
    assert entry.action == "material.upload" and entry.actor_id == world.facilitator.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ravitsemusohje" in page and "Näringsråd" in page


def test_office_documents_and_images_are_recognised_by_their_bytes(
        client, login, world, db_session):
    login(world.facilitator)
    # The name says nothing: the type comes from the content.
    for data, name, expected in ((DOCX, "a.bin", "wordprocessingml.document"),
                                 (ODT, "b.pdf", "opendocument.text"),
                                 (PNG, "c.txt", "image/png")):
        assert _post(client, upload_data(data, name, title_fi=name)).status_code == 303
        material = db_session.scalar(select(Material).where(Material.title_fi == name))
        assert expected in material.content_type


def test_a_disguised_html_file_is_refused_and_the_typed_texts_stay(
        client, login, world, db_session):
    login(world.facilitator)
    for data in (HTML, SVG):
        response = _post(client, upload_data(data, "ohje.pdf", title_fi="Naamioitu"))
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="file-error"' in html and "Tätä tiedostotyyppiä ei voi lisätä" in html
        assert 'value="Naamioitu"' in html and "Lyhyt ohje arjen ruokailuun." in html
    assert db_session.scalar(select(Material)) is None
    assert db_session.scalar(select(MaterialFile)) is None


def test_an_oversized_file_is_refused_next_to_the_field_in_swedish(
        client, login, world, db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 1000)
    login(world.facilitator)
    # Bigger than the site-wide 100 kB form limit too: the upload route reads it.
    big = PDF + b"0" * 300_000
    response = _post(client, upload_data(big, "stor.pdf", title_sv="Stor fil"), lang="sv")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="file-error"' in html and "Filen är för stor" in html
    assert 'value="Stor fil"' in html and 'value="Ravitsemusohje"' in html
    assert db_session.scalar(select(Material)) is None


def test_a_request_beyond_any_upload_is_answered_with_the_form(
        client, login, world, db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 1000)
    monkeypatch.setitem(app.config, "MATERIAL_MAX_REQUEST_BYTES", 5000)
    login(world.facilitator)
    response = _post(client, upload_data(PDF + b"0" * 20_000, "huge.pdf"))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert 'id="file-error"' in html and "Tiedosto on liian suuri" in html
    assert db_session.scalar(select(Material)) is None


def test_a_link_is_added_and_only_web_addresses_are_taken(client, login, world, db_session):
    login(world.coordinator)
    refused = _post(client, upload_data(None, url="javascript:alert(1)", title_fi="Linkki"))
    assert refused.status_code == 400 and 'id="url-error"' in refused.get_data(as_text=True)
    both = _post(client, upload_data(PDF, url="https://example.org/a", title_fi="Molemmat"))
    assert both.status_code == 400
    neither = _post(client, upload_data(None, title_fi="Ei mitään"))
    assert neither.status_code == 400 and 'id="file-error"' in neither.get_data(as_text=True)
    assert db_session.scalar(select(Material)) is None
    ok = _post(client, upload_data(None, url="https://thl.fi/ravitsemus", title_fi="THL"))
    assert ok.status_code == 303
    material = db_session.scalar(select(Material))
    assert material.kind == MaterialKind.LINK and material.url == "https://thl.fi/ravitsemus"


def test_a_title_and_the_choices_are_required(client, login, world, db_session):
    login(world.facilitator)
    response = _post(client, upload_data(PDF, title_fi="", title_sv="", theme="", language=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="title_fi-error"' in html and 'id="theme-error"' in html
    assert 'id="language-error"' in html


def test_bad_input_never_gives_a_server_error(client, login, world):
    login(world.facilitator)
    for data in ({"theme": "nonsense", "language": "xx", "title_fi": "x" * 5000},
                 {"file": "not a file"}, {}):
        response = client.post("/fi/staff/materials/new", data=data)
        assert response.status_code in (400, 413)


def test_signed_out_visitors_cannot_add(client, world):
    response = _post(client, upload_data(PDF))
    assert response.status_code == 302 and "/login" in response.headers["Location"]
