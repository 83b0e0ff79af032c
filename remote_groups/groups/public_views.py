"""Public pages: what is on, each group, joining a session. No account, no personal data.

The only thing stored about a visitor is an anonymous count of presses of the join button
per session. The optional display name goes straight into the Jitsi link and is neither
stored nor logged.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    get_template_attribute,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length

from .. import csp, dates
from ..db_types import database_id, utcnow
from ..extensions import csrf, db, limiter
from ..i18n import HELSINKI, current_language
from ..video import service as video
from ..video.dialin import format_pin
from . import versions
from .cards import cards_for
from .filters import SessionFilter, parse_filter
from .joining import JoinState, JoinWindow, join_window
from .labels import INSTRUCTION_LANGUAGE_NAMES, THEME_NAMES
from .models import InstructionLanguage, Session
from .queries import (
    all_groups,
    areas_for_filter,
    count_join,
    group_with_sessions,
    session_for_join,
    sessions_with_details,
    upcoming_session_times,
)
from .schedule import SECTIONS, Agenda, build_agenda, map_agenda, trim_agenda

bp = Blueprint("public", __name__, url_prefix="/<lang>")

FRONT_PAGE_GROUPS = 12
# How many sessions each section of the front page shows (templates/groups/index.html); the
# last one then says that each group's page lists more.
FRONT_PAGE_SECTIONS = {"now": 40, "today": 40, "this_week": 40, "later": 12}
GROUPS_PER_PAGE = 40

DISPLAY_NAME_MAX = 60

# When this statement was last checked; shown on the accessibility page.
ACCESSIBILITY_REVIEWED = date(2026, 11, 25)


class JoinForm(FlaskForm):
    """The one field on the join page. Optional; never stored.

    No CSRF token: pressing the button is open to anyone without an account, so a forged
    press could do nothing a real one cannot (add one to an anonymous count), while a token
    would need a session cookie for every visitor. Public pages set no cookies at all.
    """

    class Meta:
        csrf = False

    display_name = StringField(
        _l("Name shown to others (optional)"),
        description=_l("Others in the session see this name. You can also leave it empty."),
        validators=[Length(max=DISPLAY_NAME_MAX, message=_l("Use at most 60 characters."))],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        render_kw={"autocomplete": "nickname", "maxlength": DISPLAY_NAME_MAX},
    )


# --- Pure helpers -----------------------------------------------------------------------------


def moment_in_words(moment: datetime, now: datetime, lang: str) -> tuple[str, str]:
    """A moment as (day, time) in Helsinki time: ("Thursday 3 December", "12:45"); the day
    is empty when it is today, so the sentence can say "today" instead."""
    local, local_now = moment.astimezone(HELSINKI), now.astimezone(HELSINKI)
    time_text = dates.clock(moment, lang)
    if local.date() == local_now.date():
        return "", time_text
    return dates.day_in_text(moment, lang), time_text


def opening_sentence(window: JoinWindow, now: datetime, lang: str) -> str:
    day, time_text = moment_in_words(window.opens_at, now, lang)
    if not day:
        return _("The video room opens today at %(time)s.", time=time_text)
    return _("The video room opens on %(day)s at %(time)s.", day=day, time=time_text)


# --- Template helpers -------------------------------------------------------------------------


def session_join_window(session: Session, now: datetime) -> JoinWindow:
    return join_window(session.starts_at, session.ends_at, now, cancelled=session.is_cancelled)


def session_calendar_url(session: Session) -> str | None:
    """The session's .ics download, once the calendar feature is installed."""
    if "calendar.session_ics" not in current_app.view_functions:
        return None
    return url_for("calendar.session_ics", session_id=session.id)


# --- Pages ------------------------------------------------------------------------------------


def front_page_agenda(now: datetime, chosen: SessionFilter) -> Agenda[Markup]:
    """The cards the front page shows, sorted into its sections. The sorting needs only
    the sessions' times; cards are remembered per version of the data they show, so
    sessions are loaded in full (with group, host area and facilitators) only for cards
    not rendered yet, and only for what the sections show, plus one per section so the
    page can tell there are more."""
    version = versions.current()  # before the rows: see versions.py
    times = trim_agenda(build_agenda(upcoming_session_times(now, chosen=chosen), now),
                        FRONT_PAGE_SECTIONS)
    cards = cards_for([e for name in SECTIONS for e in getattr(times, name)], now,
                      sessions_with_details, version)
    return map_agenda(times, lambda entry: cards.get(entry.id))


def front_page_groups(chosen: SessionFilter) -> Markup:
    """The front page's first groups for the visitor's filters, rendered once per version
    of the data they show (titles, summaries, co-running areas)."""

    def render() -> Markup:
        groups = all_groups(chosen, limit=FRONT_PAGE_GROUPS + 1)
        return _front_piece("groups_section", groups[:FRONT_PAGE_GROUPS],
                            len(groups) > FRONT_PAGE_GROUPS, chosen)

    key = ("front-groups", current_language(), request.script_root,
           tuple(sorted(chosen.query_args().items())))
    return versions.remembered(key, versions.current(), render)


def _front_piece(name: str, *args: object) -> Markup:
    macro = get_template_attribute("groups/_front_groups.html", name)
    html = macro(*args)
    if not isinstance(html, Markup):  # an autoescaping template's macro answers Markup
        raise TypeError(f"{name} must come from an autoescaping template")
    return html


def front_page_filters(chosen: SessionFilter) -> Markup:
    """The filter form (themes, languages, the areas that co-run groups), rendered once per
    version of the data, language and choice."""
    lang = current_language()

    def render() -> Markup:
        areas = sorted(areas_for_filter(), key=lambda a: a.name(lang))
        themes = sorted(THEME_NAMES.items(), key=lambda item: str(item[1]))
        languages = [
            (code, INSTRUCTION_LANGUAGE_NAMES[code])
            for code in (InstructionLanguage.FI, InstructionLanguage.SV)
        ]
        return _front_piece("filters", chosen, areas, themes, languages)

    key = ("front-filters", lang, request.script_root,
           tuple(sorted(chosen.query_args().items())))
    return versions.remembered(key, versions.current(), render)


@bp.get("/")
def index() -> str:
    now = utcnow()
    chosen = parse_filter(request.args)
    agenda = front_page_agenda(now, chosen)
    return render_template(
        "groups/index.html",
        agenda=agenda,
        filters_form=front_page_filters(chosen),
        groups_section=front_page_groups(chosen),
        shown=FRONT_PAGE_SECTIONS,
        now=now,
        chosen=chosen,
    )


@bp.get("/groups")
def groups() -> str:
    """Every group and course, a page at a time, with the front page's filters."""
    chosen = parse_filter(request.args)
    page = database_id(request.args.get("page")) or 1
    number = page if page < 10_000 else 1
    found = all_groups(chosen, limit=GROUPS_PER_PAGE + 1, offset=(number - 1) * GROUPS_PER_PAGE)
    return render_template(
        "groups/groups.html", groups=found[:GROUPS_PER_PAGE], chosen=chosen, page=number,
        has_next=len(found) > GROUPS_PER_PAGE,
    )


@bp.get("/groups/<int:group_id>")
def group(group_id: int) -> str:
    versions.current()  # before the rows (the cards are remembered under it)
    now = utcnow()
    group = group_with_sessions(group_id, ending_after=now)
    if group is None or group.is_archived:
        abort(404)
    # Cancelled sessions stay, marked "Cancelled": someone who planned to come must see why.
    upcoming = [s for s in group.sessions if s.ends_at > now]
    return render_template("groups/group.html", group=group, sessions=upcoming, now=now)


def _join_page(session: Session, form: JoinForm, status: int = 200) -> Response:
    now = utcnow()
    lang = current_language()
    window = session_join_window(session, now)
    phone = None
    if window.is_open and not session.group.is_closed:
        phone = video.dial_in(session)
    opening = opening_sentence(window, now, lang) if window.state == JoinState.NOT_YET else ""
    return make_response(
        render_template(
            "groups/join.html",
            session=session,
            group=session.group,
            window=window,
            states=JoinState,
            opening=opening,
            phone=phone,
            phone_pin=format_pin(phone.pin) if phone and phone.pin else "",
            form=form,
            now=now,
        ),
        status,
    )


def _jitsi_origin() -> str:
    return csp.origin(video.jitsi_settings().base_url)


# The join form's answer redirects into the Jitsi room, and browsers apply the page's
# form-action rule to that redirect too: allow the Jitsi origin on the join pages only.
@bp.get("/sessions/<int:session_id>/join")
@csp.allow("form-action", _jitsi_origin)
def join(session_id: int) -> Response:
    """The page calendars and mails link to: when and how to join, by video or by phone."""
    session = session_for_join(session_id)
    if session is None or session.group.is_archived:
        abort(404)
    return _join_page(session, JoinForm())


@bp.post("/sessions/<int:session_id>/join/video")
@csp.allow("form-action", _jitsi_origin)
@csrf.exempt
@limiter.limit("60 per minute")
def join_video(session_id: int) -> Response:
    """The big button: count one join and send the browser into the room.

    Outside the window, or for a closed course, it goes back to the join page, which says
    why. The count is raised in SQL (`join_count + 1`), so simultaneous presses all count.
    """
    session = session_for_join(session_id)
    if session is None:
        abort(404)
    window = session_join_window(session, utcnow())
    if not window.is_open or session.group.is_closed:
        return redirect(url_for("public.join", session_id=session.id), code=303)
    form = JoinForm()
    if not form.validate_on_submit():
        return _join_page(session, form, status=400)
    count_join(session.id)
    db.session.commit()
    target = video.guest_join_url(session, current_language(), form.display_name.data or None)
    return redirect(target, code=303)


@bp.get("/practice")
def practice() -> str:
    """The practice room: anyone tries their camera, microphone and connection at any time,
    in a room of its own, with step-by-step help for a phone and a computer and the phone
    way in (issue 20). The room link is a plain link: nothing is counted or stored."""
    lang = current_language()
    phone = video.practice_dial_in()
    return render_template(
        "groups/practice.html", room_link=video.practice_join_url(lang), phone=phone,
        phone_pin=format_pin(phone.pin) if phone and phone.pin else "",
    )


@bp.get("/accessibility")
def accessibility() -> str:
    """Saavutettavuusseloste / tillgänglighetsutlåtande, required of Finnish public services."""
    return render_template(
        "groups/accessibility.html",
        reviewed=ACCESSIBILITY_REVIEWED,
        contact=current_app.config.get("ACCESSIBILITY_CONTACT", ""),
    )


@bp.get("/privacy")
def privacy() -> str:
    return render_template("groups/privacy.html")
