"""Staff sign-in, password reset and change, "my sessions" and the staff session page."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from ..db_types import utcnow
from ..extensions import db, limiter, login_manager
from ..groups import versions
from ..groups.models import Group, GroupArea, Session
from ..i18n import current_language
from ..links import external_url
from ..mail.notify import queue_mail
from ..video.service import facilitator_join_url
from . import security
from .access import staff_required
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from .models import User
from .my_sessions import may_moderate, may_view_session, my_session_rows
from .session_items import session_items

bp = Blueprint("staff", __name__, url_prefix="/<lang>/staff")

# A session cookie taken to another browser or network is refused (Flask-Login compares a
# hash of the address and user agent and drops the session when it differs).
login_manager.session_protection = "strong"

_STAMP_KEY = "_pw"
_VERSION_KEY = "_sv"
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")
# The forgot-password answer never comes sooner than this (FORGOT_PASSWORD_MIN_SECONDS).
FORGOT_PASSWORD_MIN_SECONDS = 0.3
log = logging.getLogger(__name__)


def _password_stamp(user: User) -> str:
    """Changes whenever the password changes, so a reset signs out every other browser."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, if the cookie is still good: same password, and no sign-out
    since it was issued. While the database is away nobody is signed in, and staff pages
    answer 503 (`unauthorized`) rather than a bare server error."""
    if not user_id.isdigit():
        return None
    from ..web import database_unavailable

    try:
        user = db.session.get(User, int(user_id))
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.warning("database unavailable while loading the signed-in user")
        g.database_unavailable = True
        return None
    # A deactivated account is signed out at its next request, whatever page is open.
    if user is None or not user.active or not hmac.compare_digest(session.get(_STAMP_KEY, ""),
                                               _password_stamp(user)):
        return None
    if session.get(_VERSION_KEY) != user.session_version:
        return None  # signed out since (here or in another copy of this cookie)
    return user


def _sign_in(user: User) -> None:
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(user)
    session[_STAMP_KEY] = _password_stamp(user)
    session[_VERSION_KEY] = user.session_version


def end_all_sessions(user_id: int) -> None:
    """Every copy of every session cookie of this user stops working (one UPDATE, so two
    sign-outs at once both count)."""
    db.session.execute(update(User).where(User.id == user_id)
                       .values(session_version=User.session_version + 1))


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    if g.get("database_unavailable"):
        from ..web import DatabaseUnavailable

        raise DatabaseUnavailable()
    flash(_("Please sign in first."), "info")
    return redirect(url_for("staff.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    """Only ever redirect within this site after sign-in. Browsers drop tabs and line breaks
    from a URL, so "/<tab>/evil.example" would become "//evil.example", another site; a line
    break in a header is a server error. Neither kind of character belongs in our paths."""
    if (target and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and target.isprintable()
            and not any(c.isspace() for c in target)):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("staff.home")


def locked_message(until: timedelta) -> str:
    minutes = max(1, -(-int(until.total_seconds()) // 60))  # rounded up
    return _("Too many wrong tries. For your safety, signing in is paused. Try again in "
             "%(minutes)s min, or reset your password.", minutes=minutes)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        address = request.remote_addr
        now = utcnow()
        locked_until = security.begin_attempt(email, address, now)
        if locked_until is not None:
            form.password.errors.append(locked_message(locked_until - now))
            return render_template("people/login.html", form=form, locked=True), 429
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            # Spend the same time as a real check, so response times do not tell which
            # addresses have accounts.
            check_password_hash(_DUMMY_HASH, form.password.data or "")
        elif user.active and user.check_password(form.password.data or ""):
            security.attempt_succeeded(email, address)
            db.session.commit()
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("The e-mail address or password is wrong."))
    return render_template("people/login.html", form=form, locked=False)


@bp.post("/logout")
@staff_required()
def logout() -> Response:
    end_all_sessions(current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password() -> str | Response:
    """Always the same answer, whether or not the address has an account: the page must not
    tell anyone who works here."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.active:
            _send_reset_link(user)
        else:
            _send_no_account_notice(email)
        db.session.commit()
        _answer_no_sooner_than(started, float(current_app.config.get(
            "FORGOT_PASSWORD_MIN_SECONDS", FORGOT_PASSWORD_MIN_SECONDS)))
        flash(_("If the address belongs to a staff account, we sent a link to it. "
                "Check your e-mail."), "info")
        return redirect(url_for("staff.login"))
    return render_template("people/forgot.html", form=form)


def _send_no_account_notice(email: str) -> None:
    """The same work as a real reset mail (a token and its hash, the link, both bodies
    rendered, one outbox row, one commit) for an address without an account: a notice
    that there is no account, so the answer's timing tells nothing. The mail goes to the
    typed address only, which the rate limit (10 an hour) keeps from being a spam tool."""
    token = security.new_reset_token()
    security.hash_token(token)
    external_url("staff.reset_password", lang=current_language(), token=token)
    queue_mail(kind="password_no_account", recipient=email, language=current_language(),
               template="password_reset_no_account", subject=_l("Reset your password"))


def _answer_no_sooner_than(started: float, seconds: float) -> None:
    """What is left of the differences (a commit that writes, a mail that is queued) is
    hidden under a fixed floor: the answer takes the same time for every address."""
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _reset_minutes() -> int:
    return int(current_app.config.get("PASSWORD_RESET_TTL_SECONDS",
                                      security.RESET_TOKEN_TTL.total_seconds()) // 60)


def _send_reset_link(user: User) -> None:
    token = security.issue_reset_token(user)
    # The public base URL, never the request's Host header: a forged Host must not put an
    # attacker's address in the mail.
    link = external_url("staff.reset_password", lang=user.language, token=token)
    minutes = _reset_minutes()
    queue_mail(kind="password_reset", recipient=user.email, language=user.language,
               template="password_reset", subject=_l("Reset your password"),
               link=link, minutes=minutes)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    row = security.valid_reset_token(token)
    if row is None:
        return render_template("people/reset_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if not security.claim_reset_token(row):
            # The same link used at the same moment elsewhere: that use won.
            db.session.rollback()
            return render_template("people/reset_invalid.html"), 410
        row.user.set_password(form.password.data or "")
        security.clear_pair(row.user.email, request.remote_addr)
        end_all_sessions(row.user_id)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Sign in with the new password."), "info")
        return redirect(url_for("staff.login"))
    # An invitation's link leads here too: a new account has no password yet.
    return render_template("people/reset.html", form=form,
                           first_time=not row.user.password_hash)


@bp.route("/password", methods=["GET", "POST"])
@staff_required()
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data or ""):
            form.current.errors = [_("The current password is wrong.")]
        else:
            current_user.set_password(form.password.data or "")
            db.session.commit()
            session[_STAMP_KEY] = _password_stamp(current_user)
            flash(_("Your password has been changed."), "info")
            return redirect(url_for("staff.home"))
    return render_template("people/change_password.html", form=form)


@bp.get("/")
@staff_required()
def home() -> str:
    from ..swaps.service import fresh_answers, incoming_requests

    now = utcnow()
    version = versions.current()  # before the rows: see groups/versions.py
    upcoming, past = my_session_rows(current_user, now)
    return render_template(
        "people/home.html", upcoming=session_items(upcoming, version),
        past=session_items(past, version), now=now,
        answers=fresh_answers(current_user, now - timedelta(days=7)),
        incoming=incoming_requests(current_user, now),
    )


def _session_or_404(session_id: int) -> Session:
    found = db.session.scalar(
        select(Session).where(Session.id == session_id).options(
            selectinload(Session.facilitators), selectinload(Session.host_area),
            selectinload(Session.group).selectinload(Group.group_areas)
            .selectinload(GroupArea.area),
        )
    )
    if found is None:
        abort(404)
    return found


@bp.get("/sessions/<int:session_id>")
@staff_required()
def session_page(session_id: int) -> str:
    from ..swaps.service import audit_for_session

    found = _session_or_404(session_id)
    if not may_view_session(current_user, found):
        abort(403)
    audit = audit_for_session(found.id)
    ids = {i for e in audit for i in (*e.facilitators_before, *e.facilitators_after)}
    people = {u.id: u.full_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}

    def names(user_ids: list[int]) -> str:
        return ", ".join(people[i] for i in user_ids if i in people) or "–"

    return render_template(
        "people/session.html", s=found, audit=audit, names=names,
        may_moderate=may_moderate(current_user, found), now=utcnow(),
        hosts_it=current_user.area_id == found.host_area_id,
    )


@bp.get("/sessions/<int:session_id>/video")
@staff_required()
def session_video(session_id: int) -> Response:
    """Into the room as moderator. A redirect, so the token never sits in a page."""
    found = _session_or_404(session_id)
    if not may_moderate(current_user, found):
        abort(403)
    url = facilitator_join_url(found, current_user, current_language())
    response = redirect(url)
    response.headers["Cache-Control"] = "no-store"
    return response
