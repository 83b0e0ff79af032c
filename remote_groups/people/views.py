"""Staff sign-in, password reset and change, "my sessions" and the staff session page."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from ..db_types import utcnow
from ..extensions import db, limiter, login_manager
from ..groups.models import Group, GroupArea, Session
from ..i18n import current_language
from ..links import external_url
from ..mail.notify import queue_mail
from ..video.service import facilitator_join_url
from . import security
from .access import staff_required
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from .models import User
from .my_sessions import may_moderate, may_view_session, my_sessions

bp = Blueprint("staff", __name__, url_prefix="/<lang>/staff")

# A session cookie taken to another browser or network is refused (Flask-Login compares a
# hash of the address and user agent and drops the session when it differs).
login_manager.session_protection = "strong"

_STAMP_KEY = "_pw"
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


def _password_stamp(user: User) -> str:
    """Changes whenever the password changes, so a reset signs out every other browser."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    # A deactivated account is signed out at its next request, whatever page is open.
    if user is None or not user.active or not hmac.compare_digest(session.get(_STAMP_KEY, ""),
                                               _password_stamp(user)):
        return None
    return user


def _sign_in(user: User) -> None:
    session.clear()  # a fresh session: nothing from before sign-in carries over
    login_user(user)
    session[_STAMP_KEY] = _password_stamp(user)


@login_manager.unauthorized_handler
def unauthorized() -> Response:
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


LOCKED_MESSAGE = _l(
    "Too many wrong tries. For your safety, signing in is paused for 15 minutes. "
    "You can also reset your password."
)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        address = request.remote_addr
        if security.is_locked(email, address):
            form.password.errors.append(str(LOCKED_MESSAGE))
            return render_template("people/login.html", form=form, locked=True), 429
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            # Spend the same time as a real check, so response times do not tell which
            # addresses have accounts.
            check_password_hash(_DUMMY_HASH, form.password.data or "")
        elif user.active and user.check_password(form.password.data or ""):
            security.clear_failures(email)
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        security.record_failure(email, address)
        form.password.errors.append(_("The e-mail address or password is wrong."))
    return render_template("people/login.html", form=form, locked=False)


@bp.post("/logout")
@staff_required()
def logout() -> Response:
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
        email = (form.email.data or "").strip().lower()
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.active:
            _send_reset_link(user)
            db.session.commit()
        flash(_("If the address belongs to a staff account, we sent a link to it. "
                "Check your e-mail."), "info")
        return redirect(url_for("staff.login"))
    return render_template("people/forgot.html", form=form)


def _send_reset_link(user: User) -> None:
    token = security.issue_reset_token(user)
    # The public base URL, never the request's Host header: a forged Host must not put an
    # attacker's address in the mail.
    link = external_url("staff.reset_password", lang=user.language, token=token)
    minutes = int(current_app.config.get("PASSWORD_RESET_TTL_SECONDS",
                                         security.RESET_TOKEN_TTL.total_seconds()) // 60)
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
        row.user.set_password(form.password.data or "")
        row.used_at = utcnow()
        security.clear_failures(row.user.email)
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
    mine = my_sessions(current_user, now)
    return render_template(
        "people/home.html", upcoming=mine.upcoming, past=mine.past, now=now,
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
