"""The materials library for staff, and the files as participants open them.

Staff pages (`/<lang>/staff/materials/`): the library (search, filters, pages), a new
material (a file or a link), one material (download, edit, delete, attach, detach).
Participants: `/<lang>/materials/<id>` serves a file attached to an open group or its
sessions; `/<lang>/my/<token>/materials/<id>` a course's file, only with the participant's
private link."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from .. import csp
from ..extensions import csrf, db
from ..groups.models import Group, Session, Theme
from ..people.access import staff_required
from ..transactions import unit_of_work
from . import service
from .forms import AttachForm, ConfirmForm, DetailsForm, NewMaterialForm, SearchForm
from .models import Material, MaterialAttachment, MaterialLanguage
from .rules import download_name, sniff

bp = Blueprint("materials", __name__, url_prefix="/<lang>/staff/materials")
public_bp = Blueprint("materials_public", __name__, url_prefix="/<lang>")

# Public files may be kept a short while; a detached or deleted one disappears within it.
PUBLIC_FILE_CACHE = "public, max-age=300"
PRIVATE_FILE_CACHE = "private, no-store"


def _material(material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None:
        abort(404)
    return material


def _editable(material_id: int) -> Material:
    material = _material(material_id)
    if not service.may_edit(current_user, material):
        abort(403)
    return material


def _details(form: DetailsForm) -> service.Details:
    return service.Details(
        title_fi=form.title_fi.data or "", title_sv=form.title_sv.data or "",
        description_fi=form.description_fi.data or "",
        description_sv=form.description_sv.data or "",
        theme=Theme(form.theme.data), language=MaterialLanguage(form.language.data),
        url=form.url.data or None)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


# --- the library ----------------------------------------------------------------------------


@bp.get("/")
@staff_required()
def library() -> str:
    form = SearchForm(request.args)
    form.validate()
    page = request.args.get("page", "1")
    number = int(page) if re.fullmatch(r"[0-9]{1,5}", page) else 1
    found = service.search(form.q.data or "", form.theme.data or "", form.language.data or "",
                           number)
    params = {k: v for k, v in (("q", form.q.data), ("theme", form.theme.data),
                                ("language", form.language.data)) if v}
    return render_template("materials/library.html", form=form, found=found, params=params)


# --- a new material -------------------------------------------------------------------------


class _CappedUpload(io.BytesIO):
    """Where the form parser writes an uploaded file: keeps at most `cap` + 1 bytes and
    notes that more came, so an oversized file costs no memory or disk, and the rest of the
    form (the typed texts) is still read."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap
        self.too_big = False

    def write(self, data: Any) -> int:
        if self.too_big:
            return len(data)
        if self.tell() + len(data) > self.cap:
            self.too_big = True
            self.seek(0)
            self.truncate()
            return len(data)
        return super().write(data)


def _read_upload_form() -> NewMaterialForm | None:
    """The form of an upload request, with the file kept only up to the size limit; None
    when the request is too big to read at all (MATERIAL_MAX_REQUEST_BYTES)."""
    limit = service.max_request_bytes()
    if request.content_length is not None and request.content_length > limit:
        return None
    request.max_content_length = limit
    cap = service.max_bytes()
    setattr(request, "_get_file_stream", lambda *args, **kwargs: _CappedUpload(cap))  # noqa: B010
    try:
        return NewMaterialForm()
    except RequestEntityTooLarge:
        return None


def _too_big_message() -> str:
    return _("The file is too big. The largest file you can add is %(size)s MB.",
             size=_megabytes(service.max_bytes()))


def _check_file(form: NewMaterialForm) -> tuple[bytes, Any] | None:
    """The file's bytes and sniffed type, or an error next to the file field."""
    storage = form.file.data
    stream = getattr(storage, "stream", None)
    if isinstance(stream, _CappedUpload) and stream.too_big:
        form.file.errors = [*form.file.errors, _too_big_message()]
        return None
    data = storage.read(service.max_bytes() + 1)
    if len(data) > service.max_bytes():
        form.file.errors = [*form.file.errors, _too_big_message()]
        return None
    if not data:
        form.file.errors = [*form.file.errors, _("The file is empty. Choose another file.")]
        return None
    kind = sniff(data)
    if kind is None:
        form.file.errors = [*form.file.errors, _(
            "This file type cannot be added. Add a PDF, an image or an office document.")]
        return None
    return data, kind


def _has_file(form: NewMaterialForm) -> bool:
    return bool(form.file.data and getattr(form.file.data, "filename", ""))


@bp.route("/new", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, after the size check has read the request
@staff_required()
@unit_of_work
def new() -> Any:
    status = 200
    if request.method == "POST":
        form = _read_upload_form()
        if form is None:
            form = NewMaterialForm(formdata=None)
            form.file.errors = [_too_big_message()]
            status = 413
        else:
            valid = form.validate_on_submit()
            has_file, has_link = _has_file(form), bool(form.url.data)
            if has_file and has_link:
                form.url.errors = [*form.url.errors,
                                   _("Add a file or a link, not both. Empty the link field.")]
                valid = False
            elif not has_file and not has_link:
                form.file.errors = [*form.file.errors, _("Choose a file or write a link.")]
                valid = False
            checked = _check_file(form) if has_file and not form.url.data else None
            if has_file and checked is None:
                valid = False
            if valid:
                details = _details(form)
                if checked is not None:
                    material = service.add_file(details, checked[0], checked[1], current_user)
                else:
                    material = service.add_link(details, current_user)
                flash(_("The material has been added."), "success")
                return redirect(url_for("materials.detail", material_id=material.id), code=303)
            status = 400
    else:
        form = NewMaterialForm()
    form.file.description = _(
        "PDF, image (PNG, JPEG, WebP) or office document. At most %(size)s MB.",
        size=_megabytes(service.max_bytes()))
    return render_template("materials/new.html", form=form), status


# --- one material ---------------------------------------------------------------------------


def _targets(user: Any) -> list[tuple[str, str]]:
    """The groups and upcoming sessions the user may attach to, as select choices."""
    from ..i18n import localized, session_when

    groups = service.managed_groups(user)
    choices = [(f"g{group.id}", _("Group: %(title)s", title=localized(group, "title")[0]))
               for group in groups]
    for session in service.upcoming_sessions(groups):
        when = session_when(session)
        choices.append((f"s{session.id}", _(
            "Session: %(title)s, %(when)s", title=localized(session.group, "title")[0],
            when=f"{when.day} {when.starts}")))
    return choices


@bp.get("/<int:material_id>")
@staff_required()
def detail(material_id: int) -> str:
    material = _material(material_id)
    attach_form = AttachForm()
    attach_form.target.choices = [("", _("Choose")), *_targets(current_user)]
    attachments = [(a, service.may_attach_to(current_user, a.target_group))
                   for a in material.attachments]
    return render_template("materials/detail.html", material=material,
                           may_edit=service.may_edit(current_user, material),
                           attachments=attachments, attach_form=attach_form,
                           confirm=ConfirmForm())


@bp.route("/<int:material_id>/edit", methods=["GET", "POST"])
@staff_required()
@unit_of_work
def edit(material_id: int) -> Any:
    material = _editable(material_id)
    form = DetailsForm(obj=material)
    if form.validate_on_submit():
        if material.is_file:
            form.url.data = None
        elif not form.url.data:
            form.url.errors = [*form.url.errors, _("Write the link.")]
            return render_template("materials/edit.html", form=form, material=material), 400
        service.update(material, _details(form), current_user)
        flash(_("The material has been saved."), "success")
        return redirect(url_for("materials.detail", material_id=material.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("materials/edit.html", form=form, material=material), status


@bp.route("/<int:material_id>/delete", methods=["GET", "POST"])
@staff_required()
@unit_of_work
def delete(material_id: int) -> Any:
    material = _editable(material_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.remove(material, current_user)
        flash(_("The material has been deleted."), "success")
        return redirect(url_for("materials.library"), code=303)
    return render_template("materials/delete.html", material=material, form=form)


@bp.post("/<int:material_id>/attach")
@staff_required()
@unit_of_work
def attach(material_id: int) -> Any:
    """Attach to a group ("g<id>") or a session ("s<id>") the user manages; another area's
    group is refused (403) whatever the form offered."""
    material = _material(material_id)
    target = request.form.get("target", "")
    number = target[1:] if re.fullmatch(r"[gs][0-9]{1,9}", target) else ""
    group = db.session.get(Group, int(number)) if number and target[0] == "g" else None
    session = db.session.get(Session, int(number)) if number and target[0] == "s" else None
    reached = group if group is not None else (session.group if session else None)
    back = redirect(url_for("materials.detail", material_id=material.id), code=303)
    if reached is None:
        flash(_("Choose a group or a session."), "error")
        return back
    if not service.may_attach_to(current_user, reached):
        abort(403)
    if not ConfirmForm().validate_on_submit():  # the CSRF token
        return back
    if service.attach(material, current_user, group=group, session=session) is None:
        flash(_("The material is attached there already."), "info")
    else:
        flash(_("The material has been attached."), "success")
    return back


@bp.post("/<int:material_id>/attachments/<int:attachment_id>/detach")
@staff_required()
@unit_of_work
def detach(material_id: int, attachment_id: int) -> Any:
    attachment = db.session.get(MaterialAttachment, attachment_id)
    if attachment is None or attachment.material_id != material_id:
        abort(404)
    if not service.may_attach_to(current_user, attachment.target_group):
        abort(403)
    if ConfirmForm().validate_on_submit():
        service.detach(attachment, current_user)
        flash(_("The material has been removed from there."), "success")
    return redirect(url_for("materials.detail", material_id=material_id), code=303)


# --- the files ------------------------------------------------------------------------------


def _file_response(material: Material, cache_control: str) -> Response:
    """The stored bytes with the sniffed type, always as a download, in a sandbox that
    runs nothing even if a browser were to render it."""
    name = download_name(material.title_fi or material.title_sv, material.extension)
    response = Response(service.file_bytes(material), mimetype=material.content_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = cache_control
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@bp.get("/<int:material_id>/file")
@staff_required()
@csp.download
def staff_file(material_id: int) -> Response:
    material = _material(material_id)
    if not material.is_file:
        abort(404)
    return _file_response(material, PRIVATE_FILE_CACHE)


@public_bp.get("/materials/<int:material_id>")
@csp.download
def public_file(material_id: int) -> Response:
    material = db.session.get(Material, material_id)
    if material is None or not material.is_file or not service.is_public(material):
        abort(404)
    return _file_response(material, PUBLIC_FILE_CACHE)


@public_bp.get("/my/<token>/materials/<int:material_id>")
@csp.download
def course_file(token: str, material_id: int) -> Response:
    """A course's file, only through a participant's private link (status token or join
    key): anyone else gets a 404, whether or not the material exists."""
    if "courses.join" not in current_app.view_functions:
        abort(404)
    from ..courses import service as courses
    from ..courses.models import Status

    application = courses.application_for_any_token(token)
    material = db.session.get(Material, material_id)
    if (application is None or application.is_erased or application.status != Status.ACCEPTED
            or material is None or not material.is_file
            or not service.reaches_group(material, application.group_id)):
        abort(404)
    return _file_response(material, PRIVATE_FILE_CACHE)


def status_section(app: Any, application: Any, token: str, now: Any) -> Any:
    """The course's materials on the participant's private status page."""
    from markupsafe import Markup

    from ..courses.models import Status

    if application.status != Status.ACCEPTED:
        return Markup("")
    items = service.course_list(application.group, token)
    if not items:
        return Markup("")
    # The template is autoescaped: its output is safe HTML.
    html = render_template("materials/_list.html", materials=items, heading_id="h-materials")
    return Markup(html)  # noqa: S704

