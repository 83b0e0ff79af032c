"""In Debian's Chromium: the embed inside another site's iframe (which the CSP must allow),
axe on the embed and the API page in Finnish and Swedish, and the group page's JSON-LD
under the real Content-Security-Policy (a data block, which the CSP must not block)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser



@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_embed_is_accessible(page, scene, assert_accessible, lang):
    page.goto(f"/{lang}/areas/{scene.west.id}/embed")
    assert page.locator("h1").inner_text().startswith(
        {"fi": "Tulevat tapaamiset", "sv": "Kommande träffar"}[lang])
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= 320")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_api_page_is_accessible(page, scene, assert_accessible, lang):
    page.goto(f"/{lang}/api")
    assert_accessible(page)


def test_another_site_shows_the_embed_in_an_iframe_and_its_links_open_the_join_page(
        page, live_server, scene, httpserver):
    """The area's own site (another origin: a loopback HTTP server of the test) frames the
    listing; the browser shows it because only the embed says frame-ancestors *. A link
    opens the join page in the whole window, not inside the frame (which it refuses)."""
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text
            else None)

    def site(path: str) -> str:
        return (f'<!doctype html><html lang="fi"><title>Alue</title><iframe '
                f'src="{live_server}{path}" title="Tapaamiset" '
                f'style="width:100%;height:40rem;border:0"></iframe></html>')

    httpserver.expect_request("/ryhmat").respond_with_data(
        site(f"/fi/areas/{scene.west.id}/embed"), content_type="text/html")
    httpserver.expect_request("/muu").respond_with_data(site("/fi/"),
                                                        content_type="text/html")
    page.goto(httpserver.url_for("/ryhmat"))
    link = page.frame_locator("iframe").get_by_role("link", name="Liikettä arkeen").first
    link.wait_for()
    assert blocked == []
    link.click()
    page.wait_for_url(f"{live_server}/fi/sessions/*/join")

    # Any other page of the service in the same iframe is refused by the browser.
    page.goto(httpserver.url_for("/muu"))
    page.wait_for_timeout(500)
    assert any("frame-ancestors" in text for text in blocked)


def test_the_group_page_json_ld_runs_under_the_real_csp(page, scene):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(f"/fi/groups/{scene.open_group.id}")
    text = page.locator('script[type="application/ld+json"]').text_content()
    data = json.loads(text)
    assert data["@type"] == "EventSeries" and data["subEvent"][0]["@type"] == "Event"
    page.reload()
    assert violations == []
