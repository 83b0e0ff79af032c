from pathlib import Path

import pytest

from remote_groups import TRANSLATIONS, create_app
from remote_groups.groups.models import InstructionLanguage


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("sv-FI,sv;q=0.9,fi;q=0.5", "/sv/"),
        ("fi-FI,fi;q=0.9", "/fi/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("de-DE,de;q=0.9", "/fi/"),  # unknown languages get Finnish, the default
        ("", "/fi/"),
    ],
)
def test_root_sends_visitors_to_the_language_their_browser_prefers(client, accept, expected):
    response = client.get("/", headers={"Accept-Language": accept} if accept else {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)
    assert "Accept-Language" in response.headers["Vary"]


def test_pages_declare_their_language_and_speak_it(client, make):
    make.group()
    fi = client.get("/fi/").get_data(as_text=True)
    sv = client.get("/sv/").get_data(as_text=True)
    assert '<html lang="fi">' in fi and "Siirry sisältöön" in fi
    assert '<html lang="sv">' in sv and "Hoppa till innehållet" in sv


def test_unknown_language_in_the_url_is_not_found(client):
    assert client.get("/de/").status_code == 404


def test_language_switcher_keeps_the_visitor_on_the_same_page(client, make):
    group = make.group()
    html = client.get(f"/fi/groups/{group.id}?theme=exercise").get_data(as_text=True)
    assert f'href="/sv/groups/{group.id}?theme=exercise"' in html
    assert f'href="/en/groups/{group.id}?theme=exercise"' in html


def test_missing_translation_of_content_falls_back_and_is_marked_with_its_language(client, make):
    group = make.group(title_fi="Liikuntaryhmä", title_sv="", title_en="",
                       instruction_language=InstructionLanguage.FI)
    html = client.get(f"/sv/groups/{group.id}").get_data(as_text=True)
    assert '<span lang="fi">Liikuntaryhmä</span>' in html


def test_catalogs_are_compiled_at_start_so_a_fresh_clone_speaks_swedish(tmp_path):
    for mo in Path(TRANSLATIONS).glob("*/LC_MESSAGES/messages.mo"):
        mo.unlink()
    create_app({"RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.sqlite"})
    assert (Path(TRANSLATIONS) / "sv" / "LC_MESSAGES" / "messages.mo").exists()


def test_error_pages_speak_the_language_of_the_url(client):
    html = client.get("/sv/groups/999999").get_data(as_text=True)
    assert "Sidan hittades inte" in html
