"""What the wallboard shows: the callers waiting now and for how long, the longest wait today,
who is signed in and who is on a call, today's service level against the target, and the
call-backs due.

Today's figures are today's report (reports.report over the local day so far, as the Now
page and `dutyline report calls` read them), never counted again here.

Call-backs due: today's calls that reached nobody, as the reports count misses (voicemail,
the fallback number, abandoned; a short abandon and a blocked number are not misses), from a
number no answered call came from after them. One line a number, with how many such calls
and the last one's time, the oldest first. A withheld number cannot be called back: those
calls are only counted.

With several teams a wallboard shows one team's: its calls, its engineers, its figures in its
own settings (`team`, an id); without one, every call and engineer, as with one team.
"""

from dataclasses import dataclass
from datetime import timedelta

from customers.models import Customer
from dutyline.localtime import local_day_span
from dutyline.phones import is_withheld
from reports.call_figures import ABANDONED, FALLBACK, VOICEMAIL, outcome_case, team_condition
from reports.limits import StillCounting
from reports.report import report
from reports.span import Span
from reports.sql import seconds_between
from rota.engineers import list_engineers
from rota.models import Team
from rota.teams import members
from telephony.presence import engineers_on_a_call
from telephony.models import Call

RINGING_STALE = timedelta(hours=1)  # a call still "ringing" after this lost its callbacks
MISSES = (VOICEMAIL, FALLBACK, *ABANDONED)


@dataclass(frozen=True)
class Waiting:
    """A caller waiting now: since when, who, in or out of hours, seconds waited so far."""

    started_at: object
    number: str
    customer: str | None
    mode: str
    waited: int


@dataclass(frozen=True)
class CallBack:
    """A number to call back: its customer, how many of today's calls from it reached
    nobody since it was last answered, the last one's arrival and how it ended."""

    number: str
    customer: str | None
    calls: int
    last_at: object
    outcome: str  # voicemail | fallback | abandoned…


@dataclass(frozen=True)
class Board:
    now: object
    waiting: list
    longest_wait: int | None  # seconds: the longest wait to an answer today, or to now
    signed_in: list  # engineers, in rotation order
    on_a_call: list
    today: dict | None  # today's report total; None while its figures are being counted
    target: float
    target_seconds: int
    callbacks: list
    withheld_misses: int

    @property
    def meets_target(self):
        """True or False against the target; None before any call was offered today."""
        level = self.today and self.today["service_level"]
        return None if level is None else level >= self.target


def _customers(ids):
    ids = sorted({key for key in ids if key is not None})
    if not ids:
        return {}
    return dict(Customer.select(Customer.id, Customer.name).where(Customer.id.in_(ids)).tuples())


def _of(team):
    """The conditions keeping the calls of `team` (an id): none for None, every call."""
    return [team_condition(team)] if team is not None else []


def waiting_calls(now, team=None):
    """The callers waiting now (a call ringing for its hunt), the longest waiting first."""
    rows = list(Call
                .select(Call.started_at, Call.from_number, Call.customer, Call.mode)
                .where(Call.status == "ringing", Call.ended_at.is_null(),
                       Call.started_at > now - RINGING_STALE, Call.started_at <= now,
                       *_of(team))
                .order_by(Call.started_at)
                .tuples())
    names = _customers(row[2] for row in rows)
    return [Waiting(started_at=started, number=number, customer=names.get(customer),
                    mode=mode, waited=max(0, int((now - started).total_seconds())))
            for started, number, customer, mode in rows]


def callbacks_due(settings, now, team=None):
    """(the CallBacks of today up to `now`, calls from withheld numbers that reached nobody);
    of the calls of `team` (an id) when given."""
    today = now.astimezone(settings.tz).date()
    start, _ = local_day_span(today, today, settings.tz)
    unanswered = (Call
                  .select(Call.from_number, Call.started_at, Call.customer,
                          outcome_case().alias("outcome"),
                          seconds_between(Call.ended_at, Call.started_at).alias("held"))
                  .where(Call.started_at >= start, Call.started_at <= now,
                         Call.answered_at.is_null(), *_of(team))
                  .order_by(Call.started_at, Call.id)
                  .tuples())
    misses, withheld = [], 0
    for number, started, customer, outcome, held in unanswered:
        if outcome not in MISSES:
            continue
        if outcome in ABANDONED and held is not None \
                and float(held) <= settings.short_abandon_seconds:
            continue  # a short abandon: never offered, nobody to call back
        if is_withheld(number):
            withheld += 1
        else:
            misses.append((number, started, customer, outcome))
    numbers = sorted({number for number, *_ in misses})
    answered = {}
    if numbers:
        for number, started in (Call
                                .select(Call.from_number, Call.started_at)
                                .where(Call.started_at >= start, Call.started_at <= now,
                                       Call.answered_at.is_null(False),
                                       Call.from_number.in_(numbers), *_of(team))
                                .tuples()):
            answered[number] = max(started, answered.get(number, started))
    due = {}
    for number, started, customer, outcome in misses:
        if number in answered and answered[number] > started:
            continue
        earlier = due.get(number)
        due[number] = (started, customer, outcome, (earlier[3] if earlier else 0) + 1)
    names = _customers(entry[1] for entry in due.values())
    callbacks = [CallBack(number=number, customer=names.get(customer), calls=count,
                          last_at=started, outcome=outcome)
                 for number, (started, customer, outcome, count) in due.items()]
    return sorted(callbacks, key=lambda callback: callback.last_at), withheld


def today_total(settings, now, team=None):
    """(today's report total, the answered calls' waits in whole seconds), or (None, {})
    while the figures of its closed hours are still being counted; of `team`'s calls (an id)
    when given."""
    today = now.astimezone(settings.tz).date()
    try:
        result = report(Span.days(settings, today, today, now=now, team=team))
    except StillCounting:
        return None, {}
    return result.total, result.waits


def board(settings, now, team=None):
    """Everything the wallboard shows at `now`: of `team` (an id, with `settings` its own),
    or of every call and engineer for None."""
    waiting = waiting_calls(now, team)
    today, waits = today_total(settings, now, team)
    longest = max([*waits, *(call.waited for call in waiting)], default=None)
    engineers = list_engineers() if team is None else members(Team.get_by_id(team))
    busy = engineers_on_a_call(now)
    callbacks, withheld = callbacks_due(settings, now, team)
    return Board(now=now, waiting=waiting, longest_wait=longest,
                 signed_in=[engineer for engineer in engineers if engineer.signed_in],
                 on_a_call=[engineer for engineer in engineers if engineer.id in busy],
                 today=today, target=settings.service_level_target,
                 target_seconds=settings.service_level_seconds, callbacks=callbacks,
                 withheld_misses=withheld)
