"""The plain feedback rules: reading a filled form and when a session can be rated."""

from datetime import UTC, datetime, timedelta

from remote_groups.feedback.rules import (
    COMMENT_MAX,
    DEFAULT_ITEMS,
    read_survey,
    remember_given,
    session_feedback_open,
    token_hash,
)


def test_scores_one_to_five_are_read_and_skipped_items_are_left_out():
    filled = read_survey({"item-1": "5", "item-2": "", "item-3": "1", "comment": " Kiitos "},
                         [1, 2, 3])
    assert filled.ok
    assert filled.scores == {1: 5, 3: 1}
    assert filled.comment == "Kiitos"


def test_a_score_outside_the_scale_is_a_problem_for_that_item_only():
    filled = read_survey({"item-1": "6", "item-2": "abc", "item-3": "4"}, [1, 2, 3])
    assert filled.problems == {"item-1": "score", "item-2": "score"}
    assert filled.scores == {3: 4}
    assert not filled.ok


def test_items_that_are_not_in_the_survey_are_ignored():
    filled = read_survey({"item-9": "3", "comment": ""}, [1])
    assert filled.scores == {}
    assert filled.problems == {"form": "empty"}


def test_a_comment_alone_is_an_answer_but_a_too_long_one_is_not():
    assert read_survey({"comment": "Hyvä"}, [1]).ok
    long = read_survey({"comment": "x" * (COMMENT_MAX + 1)}, [1])
    assert long.problems == {"comment": "too_long"}


def test_session_feedback_opens_at_the_start_and_closes_a_week_after_the_end():
    start = datetime(2026, 3, 5, 11, 0, tzinfo=UTC)
    end = start + timedelta(hours=2)
    assert not session_feedback_open(start, end, False, start - timedelta(seconds=1))
    assert session_feedback_open(start, end, False, start)
    assert session_feedback_open(start, end, False, end + timedelta(days=6, hours=23))
    assert not session_feedback_open(start, end, False, end + timedelta(days=7))
    assert not session_feedback_open(start, end, True, start + timedelta(hours=1))


def test_the_cookie_remembers_the_latest_sessions_only():
    kept = remember_given(set(range(100)), 100, keep=50)
    assert len(kept) == 50 and kept[-1] == 100 and 50 not in kept


def test_token_hash_is_sha256_hex():
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_default_items_are_the_pilots_five_statements_in_both_languages():
    assert [i.text_en for i in DEFAULT_ITEMS] == [
        "My wellbeing has improved.", "I learned skills useful in daily life.",
        "I got support from peers.", "The group was clearly organised.",
        "I would recommend the group.",
    ]
    assert all(i.text_fi and i.text_sv for i in DEFAULT_ITEMS)


def test_the_migration_seeds_the_same_default_items():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "migrations" / "versions" / "0001_initial.py"
    spec = importlib.util.spec_from_file_location("m0001", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert [tuple(row) for row in module.DEFAULT_ITEMS] == [
        (i.text_fi, i.text_sv, i.text_en, i.in_session_survey) for i in DEFAULT_ITEMS]
