"""One English word, two meanings: a report's count column and a page heading must not share a
translation that fits only one of them; one thing keeps one name."""

from __future__ import annotations

from flask_babel import force_locale, gettext, pgettext


def test_report_columns_count_people_while_page_headings_keep_their_own_form(app, client,
                                                                                login, world):
    with app.test_request_context("/"), force_locale("fi"):
        assert gettext("Participants") == "Osallistujat"
        assert pgettext("report column", "Participants") == "Osallistujia"
        # A cancelled session is "Peruttu"; a withdrawn application is counted as "Peruneita".
        assert pgettext("session", "Cancelled") == pgettext("report column", "Cancelled")
        assert pgettext("session", "Cancelled") == "Peruttu"
        assert pgettext("report column", "Withdrawn") == "Peruneita"
        assert pgettext("report column", "Declined") == "Ei valittuja"
    with app.test_request_context("/"), force_locale("sv"):
        assert pgettext("report column", "Held") == "Genomförda"
        assert pgettext("report column", "Declined") == "Avslagna"

    login(world.coordinator)
    participants = client.get(f"/fi/staff/courses/{world.course.id}/participants")
    assert "<h1>Osallistujat</h1>" in participants.get_data(as_text=True)


def test_one_finnish_name_for_the_host_area_on_staff_series_and_report_pages(client, login,
                                                                              world):
    login(world.coordinator)
    pages = "".join(client.get(url).get_data(as_text=True) for url in (
        f"/fi/staff/series/groups/{world.group.id}", f"/fi/staff/sessions/{world.later.id}",
        "/fi/staff/reports/"))
    assert pages.count("Järjestäjäalue") + pages.count("järjestäjäalue") >= 3
    assert "Järjestävä alue" not in pages and "järjestävän alueen" not in pages


def test_staff_page_titles_name_the_group_and_the_part_of_the_service(client, login, world):
    login(world.coordinator)

    def title(url: str) -> str:
        html = client.get(url).get_data(as_text=True)
        return html[html.index("<title>") + 7:html.index("</title>")]

    public = title(f"/fi/groups/{world.group.id}")
    session = title(f"/fi/staff/sessions/{world.later.id}")
    manage = title(f"/fi/staff/series/groups/{world.group.id}")
    assert len({public, session, manage}) == 3  # three pages, three titles
    assert session.startswith("Avoin ryhmä, ") and "Henkilöstön sivut" in session
    assert "Ryhmät ja sarjat" in manage
    assert title(f"/fi/staff/series/groups/{world.group.id}/plan").endswith(
        ": Avoin ryhmä – Etäryhmät")
    assert title(f"/fi/staff/courses/{world.course.id}/participants").startswith(
        "Osallistujat: Arjen voimavarat")
    assert title(f"/sv/staff/courses/{world.course.id}/applications").startswith(
        "Ansökningar: Resurser i vardagen")


def test_the_apply_page_is_headed_with_the_words_of_the_link_that_led_there(client, world):
    for lang, words in (("fi", "Hae paikkaa"), ("sv", "Ansök om en plats")):
        group_page = client.get(f"/{lang}/groups/{world.course.id}").get_data(as_text=True)
        assert f">{words}<" in group_page  # the link or button on the course page
        apply = client.get(f"/{lang}/courses/{world.course.id}/apply").get_data(as_text=True)
        assert f"<h1>{words}: " in apply
