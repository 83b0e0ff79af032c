"""Two facilitators of different areas complete an exchange and a cover request in a real
browser; both calendars get the update (REQUEST with a higher SEQUENCE, CANCEL to the one
taken off), and the swap pages pass axe-core in Finnish and Swedish."""

from __future__ import annotations

import pytest

from remote_groups.extensions import db

pytestmark = pytest.mark.browser

@pytest.fixture
def sign_in(browser, live_server, browser_sign_in):
    """`sign_in(user, lang)`: a browser window of its own, signed in as that user."""

    def open_signed_in(user, lang):
        context = browser.new_context(base_url=live_server, locale=f"{lang}-FI")
        page = context.new_page()
        browser_sign_in(page, user, lang)
        return context, page

    return open_signed_in


def test_exchange_and_cover_between_two_areas_in_the_browser(
    network, outbox, assert_accessible, sign_in,
):
    n = network
    anna_context, anna = sign_in(n.anna, "fi")
    bertil_context, bertil = sign_in(n.bertil, "sv")
    try:
        # Anna proposes to exchange her area's session for one the northern area hosts.
        anna.goto(f"/fi/staff/sessions/{n.west_session.id}")
        assert_accessible(anna)
        anna.click(f"a[href='/fi/staff/swaps/exchange/{n.west_session.id}']")
        assert_accessible(anna)
        anna.select_option("#target", str(n.north_session.id))
        anna.fill("#message", "Meillä on koulutuspäivä, vaihdetaanko?")
        anna.locator("main form button[type=submit]").click()
        anna.wait_for_url("**/fi/staff/swaps/")
        assert_accessible(anna)

        # Bertil sees it, in Swedish, and accepts with a message.
        bertil.goto("/sv/staff/swaps/")
        assert_accessible(bertil)
        bertil.locator("#h-incoming ~ ul a").first.click()
        assert_accessible(bertil)
        bertil.fill("#message", "Det passar bra.")
        bertil.click("button[name=decision][value=accept]")
        bertil.wait_for_url("**/sv/staff/swaps/")
        assert bertil.locator(".flash").count() == 1

        # Anna is told at once on her page.
        anna.goto("/fi/staff/")
        assert "Bertil Handledare" in anna.locator("#h-answers ~ ul").inner_text()
        assert "Det passar bra." in anna.locator("#h-answers ~ ul").inner_text()
        assert_accessible(anna)

        # Anna's area now hosts the northern session; she asks the north to cover it.
        anna.goto(f"/fi/staff/swaps/cover/{n.north_session.id}")
        assert_accessible(anna)
        anna.select_option("#area", str(n.north.id))
        anna.locator("main form button[type=submit]").click()
        anna.wait_for_url("**/fi/staff/swaps/")
        bertil.goto("/sv/staff/swaps/")
        bertil.locator("#h-incoming ~ ul a").first.click()
        bertil.click("button[name=decision][value=accept]")
        bertil.wait_for_url("**/sv/staff/swaps/")

        # The session page shows the audit log of both swaps.
        bertil.goto(f"/sv/staff/sessions/{n.north_session.id}")
        assert bertil.locator("ul.audit li").count() == 2
        assert_accessible(bertil)
    finally:
        anna_context.close()
        bertil_context.close()

    rows = outbox()
    anna_mail, bertil_mail = "anna.ohjaaja@example.com", "bertil.handledare@example.com"
    # Exchange: each now has one calendar entry with the other's session, as an invitation
    # (their first message about the group), once, not a CANCEL and a REQUEST.
    assert (bertil_mail, "REQUEST", 0, "invite") in rows
    assert (anna_mail, "REQUEST", 0, "invite") in rows
    # Cover: the northern session went back to Bertil (his entry, SEQUENCE raised); Anna has
    # no session left in the group, so her entry is cancelled, without STATUS (the session
    # goes on, RFC 5546 3.2.5).
    assert (bertil_mail, "REQUEST", 1, "update") in rows
    assert (anna_mail, "CANCEL", 1, "left") in rows
    assert [r for r in rows if r[1] == "CANCEL"] == [(anna_mail, "CANCEL", 1, "left")]
    assert sum(1 for r in rows if r[3] == "swap_answer") == 2


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_swap_pages_have_no_axe_violations(network, assert_accessible, sign_in, lang):
    from remote_groups.swaps import service

    n = network
    request = service.ask_cover(n.anna, n.west_session, None, "Sairastuin.").request
    db.session.commit()  # services only flush; the view (here, the test) commits
    context, page = sign_in(n.bertil, lang)
    try:
        for path in ("/staff/swaps/", f"/staff/swaps/{request.id}",
                     f"/staff/swaps/exchange/{n.north_session.id}",
                     f"/staff/swaps/cover/{n.north_session.id}",
                     f"/staff/sessions/{n.north_session.id}", "/staff/password",
                     "/staff/password/forgot", "/staff/"):
            page.goto(f"/{lang}{path}")
            assert page.locator("html").get_attribute("lang") == lang
            assert_accessible(page)
        # A form sent with a mistake shows the error next to the field, still accessible.
        page.goto(f"/{lang}/staff/swaps/exchange/{n.north_session.id}")
        page.locator("main form button[type=submit]").click()
        assert page.locator(".error").count() == 1
        assert_accessible(page)
    finally:
        context.close()
