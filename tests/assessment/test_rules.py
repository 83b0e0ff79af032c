"""The self-assessment rules on plain data, with figures computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from remote_groups.rules.assessment import (
    MIN_PAIRS,
    PRESETS,
    Answer,
    Phase,
    ScaleRange,
    average_changes,
    is_open,
    read_answers,
    window,
)

S, E = Phase.START, Phase.END


def _pairs(item_id: int, pairs: list[tuple[int, int]], prefix: str = "p") -> list[Answer]:
    out = []
    for n, (start, end) in enumerate(pairs):
        out += [Answer(f"{prefix}{n}", S, item_id, start), Answer(f"{prefix}{n}", E, item_id, end)]
    return out


def test_average_change_over_five_pairs_by_hand():
    # starts 2,3,1,4,2 (mean 2.4); ends 4,3,2,5,4 (mean 3.6); changes +2,0,+1,+1,+2 = 6/5 = 1.2
    answers = _pairs(7, [(2, 4), (3, 3), (1, 2), (4, 5), (2, 4)])
    [fig] = average_changes(answers, [7])
    assert (fig.pairs, fig.start_mean, fig.end_mean, fig.change) == (5, 2.4, 3.6, 1.2)
    assert not fig.hidden


def test_a_negative_change_and_rounding():
    # 0–10 scale: starts 7,8,6,9,5,8 ; ends 6,8,5,7,5,6 -> changes -1,0,-1,-2,0,-2 = -6/6 = -1.0
    # start mean 43/6 = 7.1666… -> 7.17 ; end mean 37/6 = 6.1666… -> 6.17
    answers = _pairs(1, [(7, 6), (8, 8), (6, 5), (9, 7), (5, 5), (8, 6)])
    [fig] = average_changes(answers, [1])
    assert (fig.pairs, fig.start_mean, fig.end_mean, fig.change) == (6, 7.17, 6.17, -1.0)


def test_only_pairs_count_and_unpaired_answers_are_left_out():
    answers = _pairs(1, [(1, 2), (1, 2), (1, 2), (1, 2), (1, 3)])
    # Someone who answered only at the start, and someone only at the end: not pairs.
    answers += [Answer("only-start", S, 1, 5), Answer("only-end", E, 1, 1)]
    [fig] = average_changes(answers, [1])
    # changes 1,1,1,1,2 = 6/5 = 1.2; the unpaired 5 and 1 would have moved both means.
    assert (fig.pairs, fig.start_mean, fig.end_mean, fig.change) == (5, 1.0, 2.2, 1.2)


def test_fewer_than_five_pairs_hide_the_figures_but_give_the_count():
    answers = _pairs(1, [(1, 5)] * (MIN_PAIRS - 1))
    [fig] = average_changes(answers, [1])
    assert fig.pairs == 4 and fig.hidden
    assert fig.start_mean is None and fig.end_mean is None and fig.change is None


def test_items_are_counted_separately_and_kept_in_order():
    answers = _pairs(1, [(2, 3)] * 5) + _pairs(2, [(4, 2)] * 3)
    figs = average_changes(answers, [2, 1, 3])
    assert [(f.item_id, f.pairs, f.change) for f in figs] == [(2, 3, None), (1, 5, 1.0),
                                                              (3, 0, None)]


def test_start_is_open_from_acceptance_until_the_midpoint():
    t0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
    sessions = [(t0 + timedelta(days=7 * i), t0 + timedelta(days=7 * i, hours=2))
                for i in range(5)]  # first start t0, last end t0 + 28 d 2 h -> midpoint +14 d 1 h
    start = window(Phase.START, sessions)
    assert start is not None and start.opens_at is None
    assert start.closes_at == t0 + timedelta(days=14, hours=1)
    assert is_open(start, t0 - timedelta(days=30))
    assert is_open(start, t0 + timedelta(days=14))
    assert not is_open(start, t0 + timedelta(days=14, hours=1))


def test_end_opens_a_day_before_the_last_session_for_three_weeks():
    t0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
    sessions = [(t0, t0 + timedelta(hours=2)), (t0 + timedelta(days=7),
                                                t0 + timedelta(days=7, hours=2))]
    end = window(Phase.END, sessions)
    assert end is not None
    assert not is_open(end, t0 + timedelta(days=5, hours=23))
    assert is_open(end, t0 + timedelta(days=6))
    assert is_open(end, t0 + timedelta(days=28, hours=1, minutes=59))
    assert not is_open(end, t0 + timedelta(days=28, hours=2))


def test_a_course_without_sessions_has_no_end_assessment():
    assert window(Phase.END, []) is None and not is_open(None, datetime.now(UTC))
    assert is_open(window(Phase.START, []), datetime.now(UTC))


def test_every_item_needs_a_number_of_its_scale():
    form = {"item-1": "3", "item-2": "", "item-3": "6", "item-4": "²"}
    filled = read_answers(form, [1, 2, 3, 4], ScaleRange.ONE_TO_FIVE)
    assert filled.scores == {1: 3}
    assert filled.problems == {"item-2": "missing", "item-3": "score", "item-4": "score"}
    filled = read_answers({"item-1": "0", "item-2": "10"}, [1, 2], ScaleRange.ZERO_TO_TEN)
    assert filled.ok and filled.scores == {1: 0, 2: 10}
    assert read_answers({"item-1": "0"}, [1], ScaleRange.ONE_TO_FIVE).problems == {
        "item-1": "score"}


def test_ready_made_sets_are_short_and_bilingual():
    assert {p.key for p in PRESETS} == {"wellbeing", "coping", "work_ability"}
    for p in PRESETS:
        assert 3 <= len(p.items) <= 6
        assert all(i.text_fi and i.text_sv and i.text_en for i in p.items)
