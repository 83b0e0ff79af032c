"""Staff sign-in and the staff start page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from ..db_types import utcnow
from ..extensions import db, login_manager
from ..groups.queries import upcoming_sessions_for_area
from .access import staff_required
from .forms import LoginForm
from .models import User

bp = Blueprint("staff", __name__, url_prefix="/<lang>/staff")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@login_manager.unauthorized_handler
def unauthorized() -> Response:
    flash(_("Please sign in first."), "info")
    return redirect(url_for("staff.login", next=request.full_path))


def _safe_next(target: str | None) -> str:
    """Only ever redirect within this site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("staff.home")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).where(User.email == (form.email.data or "").strip().lower())
        )
        if user and user.active and user.check_password(form.password.data or ""):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("The e-mail address or password is wrong."))
    return render_template("people/login.html", form=form)


@bp.post("/logout")
@staff_required()
def logout() -> Response:
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("public.index"))


@bp.get("/")
@staff_required()
def home() -> str:
    sessions = upcoming_sessions_for_area(current_user.area_id, utcnow(), current_user.id)
    return render_template("people/home.html", sessions=sessions)
