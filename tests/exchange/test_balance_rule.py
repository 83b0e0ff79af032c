"""`rules.balance` on plain data: sums by hand."""

from __future__ import annotations

from remote_groups.rules.balance import ExchangeRow, GroupRow, balance, hours


def test_hosted_received_net_and_the_gaps():
    served = {1: ("sv", "fi"), 2: ("fi",), 3: ("fi",)}
    offered = {1: {"fi": 0, "sv": 330}, 2: {"fi": 120, "sv": 0}}
    exchanges = [ExchangeRow(1, 2, "sv", 240), ExchangeRow(2, 3, "fi", 60),
                 ExchangeRow(2, 2, "fi", 999),  # an area with itself: not an exchange
                 ExchangeRow(9, 3, "fi", 30)]  # from an area not in the report
    groups = [GroupRow(10, "sv", (2, 1)), GroupRow(11, "both", (1,)), GroupRow(12, "fi", (3,))]
    result = balance(served, offered, exchanges, groups)
    assert [(b.area, dict(b.offered), b.hosted_for_others, b.received, b.net)
            for b in result.areas] == [
        (1, {"fi": 0, "sv": 330}, 240, 0, 240),
        (2, {"fi": 120, "sv": 0}, 60, 240, -180),
        (3, {"fi": 0, "sv": 0}, 0, 90, -90),
    ]
    assert result.areas_missing == [(1, "fi"), (3, "fi")]
    assert result.groups_missing == [(10, "fi")]
    assert (hours(330), hours(-180), hours(25)) == (5.5, -3.0, 0.4)
