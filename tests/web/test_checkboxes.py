"""Checkboxes on a phone: the box comes first, its label beside it is a 44 px target."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_reminder_and_consent_boxes_sit_before_their_labels_which_are_big_targets(
        page, world, lang, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/{lang}/courses/{world.course.id}/apply")
    for name in ("wants_reminders", "consent"):
        box = page.locator(f"input[name={name}]")
        label = page.locator(f"label[for={name}]")
        box_at, label_at = box.bounding_box(), label.bounding_box()
        assert box_at["x"] + box_at["width"] <= label_at["x"]  # beside it, not under it
        assert abs(box_at["y"] - label_at["y"]) < 20
        assert box_at["width"] >= 24 and label_at["height"] >= 44
        label.click(position={"x": label_at["width"] - 5, "y": 10})
        assert box.is_checked()
    assert_accessible(page)
