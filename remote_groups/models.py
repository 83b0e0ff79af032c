"""Imports every feature's models so SQLAlchemy and Alembic see the whole schema."""

from __future__ import annotations


def register_models() -> None:
    from . import audit as _audit  # noqa: F401
    from .assessment import models as _assessment  # noqa: F401
    from .attendance import models as _attendance  # noqa: F401
    from .calendar import models as _calendar  # noqa: F401
    from .course_messages import models as _course_messages  # noqa: F401
    from .courses import models as _courses  # noqa: F401
    from .feedback import models as _feedback  # noqa: F401
    from .groups import models as _groups  # noqa: F401
    from .groups import versions as _versions  # noqa: F401
    from .intake import models as _intake  # noqa: F401
    from .mail import models as _mail  # noqa: F401
    from .materials import models as _materials  # noqa: F401
    from .offers import models as _offers  # noqa: F401
    from .people import models as _people  # noqa: F401
    from .series import models as _series  # noqa: F401
    from .swaps import models as _swaps  # noqa: F401
