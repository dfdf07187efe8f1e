"""The route decision for a number on the block list: Blocked while the block lasts (to the
end of its last local day, across the changes to and from summer time), the usual plan
otherwise; a withheld number is never blocked."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from customers.blocklist import ends_at_of
from dutyline.settings import parse_settings
from hours.business_hours import IN_HOURS, OUT_OF_HOURS
from telephony.routing import (Block, Blocked, Person, Replay, RoutePlan, RouteState, SeenCall,
                               decide_route)

LONDON = ZoneInfo("Europe/London")
SETTINGS = parse_settings({"timezone": "Europe/London"})
BEN = Person(1, "Ben", 1, "+447911123401")
TOBI = Person(2, "Tobi", 2, "+447911123402")
FOREVER = "until removed"


def local(*parts, fold=0):
    return datetime(*parts, tzinfo=LONDON, fold=fold)


# header: the block's last day (FOREVER: no end; None: no block), the call's local instant,
# the caller withheld the number -> what the decision is
ROWS = [
    ("no block", None, local(2026, 12, 1, 10, 0), False, "rings"),
    ("blocked until removed", FOREVER, local(2026, 12, 1, 10, 0), False, "blocked"),
    ("until yesterday", date(2026, 11, 30), local(2026, 12, 1, 10, 0), False, "rings"),
    ("until today, in the morning", date(2026, 12, 1), local(2026, 12, 1, 8, 0), False,
     "blocked"),
    ("until today, at 23:59", date(2026, 12, 1), local(2026, 12, 1, 23, 59), False, "blocked"),
    ("until yesterday, at 00:00 today", date(2026, 11, 30), local(2026, 12, 1, 0, 0), False,
     "rings"),
    ("until tomorrow", date(2026, 12, 2), local(2026, 12, 1, 10, 0), False, "blocked"),
    ("out of hours too", date(2026, 12, 1), local(2026, 12, 1, 22, 0), False, "blocked"),
    # Sunday 25 October 2026, 25 hours long: the clocks go back at 02:00 BST
    ("until the day summer time ends, at 01:30 the second time", date(2026, 10, 25),
     local(2026, 10, 25, 1, 30, fold=1), False, "blocked"),
    ("until the day summer time ends, at 23:30 (its 25th hour)", date(2026, 10, 25),
     local(2026, 10, 25, 23, 30), False, "blocked"),
    ("until the day summer time ends, at 23:59", date(2026, 10, 25),
     local(2026, 10, 25, 23, 59), False, "blocked"),
    ("until the day summer time ends, at 00:00 the day after", date(2026, 10, 25),
     local(2026, 10, 26, 0, 0), False, "rings"),
    ("until the Saturday before, at 23:59 summer time", date(2026, 10, 24),
     local(2026, 10, 24, 23, 59), False, "blocked"),
    ("until the Saturday before, at 00:00 summer time on the Sunday", date(2026, 10, 24),
     local(2026, 10, 25, 0, 0), False, "rings"),
    # Sunday 29 March 2026, 23 hours long: the clocks go forward at 01:00 GMT
    ("until the day summer time starts, at 23:59", date(2026, 3, 29),
     local(2026, 3, 29, 23, 59), False, "blocked"),
    ("until the day summer time starts, at 00:30 the day after", date(2026, 3, 29),
     local(2026, 3, 30, 0, 30), False, "rings"),
    # a block the read found for a withheld number ("anonymous" on the list): never applied
    ("withheld, blocked until removed", FOREVER, local(2026, 12, 1, 10, 0), True, "rings"),
    ("withheld, blocked until tomorrow", date(2026, 12, 2), local(2026, 12, 1, 22, 0), True,
     "rings"),
]


def block_of(until):
    if until is None:
        return None
    return Block(ends_at=None if until == FOREVER else ends_at_of(until, LONDON))


@pytest.mark.parametrize("what, until, at, withheld, expected", ROWS,
                         ids=[row[0] for row in ROWS])
def test_a_blocked_number_is_refused_while_its_block_lasts(what, until, at, withheld,
                                                           expected):
    state = RouteState(SETTINGS, engineers=(BEN, TOBI), primary=TOBI, withheld=withheld,
                       block=block_of(until))
    decision = decide_route(state, at)
    if expected == "blocked":
        assert isinstance(decision, Blocked), what
        assert decision.targets == () and decision.first_rotation is None
        assert decision.mode == (IN_HOURS if 8 <= at.hour < 18 and at.weekday() < 5
                                 else OUT_OF_HOURS)
    else:
        assert isinstance(decision, RoutePlan), what
        assert decision.targets, what  # the team is rung as for any caller


def test_a_block_ends_at_the_end_of_its_last_local_day():
    assert ends_at_of(date(2026, 12, 1), LONDON) == local(2026, 12, 2, 0, 0)
    assert ends_at_of(date(2026, 10, 25), LONDON) == local(2026, 10, 26, 0, 0)
    assert (ends_at_of(date(2026, 10, 25), LONDON)
            - ends_at_of(date(2026, 10, 24), LONDON)).total_seconds() == 25 * 3600
    assert (ends_at_of(date(2026, 3, 29), LONDON)
            - ends_at_of(date(2026, 3, 28), LONDON)).total_seconds() == 23 * 3600


def test_a_retried_blocked_call_is_replayed_not_decided_again():
    seen = SeenCall(id=7, gated=False, mode=IN_HOURS, blocked=True)
    # the block was removed since: the retry still answers as the first answer did
    decision = decide_route(RouteState(SETTINGS, engineers=(BEN,), seen=seen),
                            local(2026, 12, 1, 10, 0))
    assert isinstance(decision, Replay) and decision.call.blocked
    assert decision.greeting is None and decision.fallback_number is None
