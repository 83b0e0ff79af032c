"""Text messages on the web: the reminder choice behind a course applicant's private link,
the open-group text-reminder form, the one-tap stop link, and the provider's delivery
reports."""

from __future__ import annotations

import hmac
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import update

from ..db_types import utcnow
from ..extensions import csrf, db, limiter
from ..groups.models import Session
from ..mail.models import OutboxMessage
from ..rules.capacity import Status
from ..transactions import unit_of_work
from . import service
from .forms import ConsentForm, StopForm, SubscribeForm
from .phones import masked

bp = Blueprint("sms", __name__)

DELIVERY_STATES = {"sent", "delivered", "failed"}


def _limit() -> str:
    return str(current_app.config.get("SMS_REMINDER_RATE_LIMIT", "5 per minute;20 per hour"))


def _private(body: Any, status: int = 200) -> Response:
    response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _texts_on() -> None:
    if not service.texts_enabled():
        abort(404)


# --- a course applicant's choice -----------------------------------------------------------

@bp.route("/<lang>/my/<token>/reminders", methods=["GET", "POST"])
@unit_of_work
def consent(token: str) -> Any:
    _texts_on()
    from ..courses.service import application_for_status_token

    application = application_for_status_token(token)
    if application is None or application.is_erased or application.status == Status.WITHDRAWN:
        abort(404)
    choice = service.choice_for(application)
    form = ConsentForm()
    if request.method == "GET":
        form.way.data = service.current_way(application, choice).value
    if form.validate_on_submit():
        service.save_choice(application, form.chosen_way(), form.mobile.e164,
                            utcnow())
        flash(_("Your choice was saved."), "success")
        return redirect(url_for("courses.status", token=token), code=303)
    return _private(render_template(
        "sms/consent.html", application=application, form=form, token=token,
        stored=masked(choice.mobile) if choice and choice.mobile else ""))


def status_section(app: Any, application: Any, token: str, now: Any) -> Markup | str:
    """The status page's part: the current choice and a link to change it."""
    if not service.texts_enabled() or application.status == Status.WITHDRAWN:
        return ""
    choice = service.choice_for(application)
    html = render_template("sms/_status_section.html", token=token,
                           way=service.current_way(application, choice),
                           chosen_at=choice.chosen_at if choice else None,
                           stored=masked(choice.mobile) if choice and choice.mobile else "")
    return Markup(html)  # noqa: S704 - a template of ours, autoescaped


# --- open groups: a text reminder by number only -------------------------------------------

def _open_session(session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or session.group.is_closed or session.group.is_archived:
        abort(404)
    return session


@bp.route("/<lang>/sessions/<int:session_id>/text-reminder", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@unit_of_work
def subscribe(session_id: int) -> Any:
    _texts_on()
    session = _open_session(session_id)
    now = utcnow()
    form = SubscribeForm()
    if request.method == "GET" and request.args.get("which") == "next":
        form.which.data = "next"
    upcoming = session.starts_at > now and not session.is_cancelled
    if upcoming and form.validate_on_submit():
        from ..i18n import current_language

        done = service.subscribe(session, form.mobile.e164, current_language(), now,
                                 whole_group=form.which.data == "next")
        if done is not None:
            return redirect(url_for("sms.subscribed", session_id=session.id), code=303)
        upcoming = False
    return _private(render_template("sms/subscribe.html", session=session, group=session.group,
                                    form=form, upcoming=upcoming,
                                    count=current_app.config["SMS_OPEN_GROUP_SESSIONS"]))


@bp.get("/<lang>/sessions/<int:session_id>/text-reminder/done")
def subscribed(session_id: int) -> Any:
    _texts_on()
    session = _open_session(session_id)
    return _private(render_template("sms/subscribed.html", session=session, group=session.group))


# --- stop ----------------------------------------------------------------------------------

@bp.get("/s/<token>")
def stop_short(token: str) -> Any:
    """The short link in a text: to the stop page in the text's language (nothing changes)."""
    link = service.stop_link(token)
    if link is None:
        return _private(render_template("sms/stop_invalid.html"), 404)
    return redirect(url_for("sms.stop", lang=link.language, token=token), code=303)


@bp.route("/<lang>/stop-texts/<token>", methods=["GET", "POST"])
@unit_of_work
def stop(token: str) -> Any:
    """One button: pressing it stops the texts. Opening the link changes nothing, because
    phones and link checkers open links by themselves."""
    link = service.stop_link(token)
    if link is None:
        return _private(render_template("sms/stop_invalid.html"), 404)
    form = StopForm()
    if form.validate_on_submit():
        service.stop(link, utcnow())
        return _private(render_template("sms/stopped.html"))
    return _private(render_template("sms/stop.html", form=form, token=token))


# --- delivery reports ----------------------------------------------------------------------

@bp.post("/sms/delivery/<token>")
@csrf.exempt
def delivery(token: str) -> Any:
    """46elks' delivery report (form fields id, status). Authenticated by the secret in the
    URL; answers 204 so the provider does not retry; never logs the number."""
    expected = str(current_app.config.get("SMS_WEBHOOK_SECRET") or "")
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        abort(404)
    reference = (request.form.get("id") or "")[:100]
    state = (request.form.get("status") or "").lower()
    if not reference or state not in DELIVERY_STATES:
        return Response(status=400)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.channel == "sms", OutboxMessage.provider_ref == reference)
        .values(delivery=state).execution_options(synchronize_session=False))
    db.session.commit()
    return Response(status=204)
