"""`remote-groups users …`: staff accounts from the command line."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from .models import Area, FacilitatorKind, Role, User


@click.group("users")
def users_group() -> None:
    """Staff accounts."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--first-name", required=True)
@click.option("--last-name", required=True)
@click.option("--area", "area_code", required=True, help="Area code, e.g. lansi-uusimaa")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.FACILITATOR.value)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in FacilitatorKind]),
    default=FacilitatorKind.PROFESSIONAL.value,
)
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="fi")
@click.option("--password", help="Leave out to generate one.")
@with_appcontext
def create_user(
    email: str, first_name: str, last_name: str, area_code: str, role: str, kind: str,
    language: str, password: str | None,
) -> None:
    """Create a staff account and print its password once."""
    area = db.session.scalar(select(Area).where(Area.code == area_code))
    if area is None:
        raise click.ClickException(
            f"No area with code {area_code!r}. Run `remote-groups setup` to load the areas, "
            "and `remote-groups areas` to list their codes.")
    if db.session.scalar(select(User).where(User.email == email.strip().lower())):
        raise click.ClickException("A user with that e-mail address exists already.")
    password = password or secrets.token_urlsafe(12)
    user = User(
        email=email, first_name=first_name, last_name=last_name, area=area, role=Role(role),
        facilitator_kind=FacilitatorKind(kind) if role == Role.FACILITATOR else None,
        language=language,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    from ..audit import record

    record("user.create", actor=None, subject="user", subject_id=user.id,
           changes={"role": [None, role], "area": [None, area.code]})
    db.session.commit()
    click.echo(f"Created {user.email} ({role}, {area.code}). Password: {password}")
