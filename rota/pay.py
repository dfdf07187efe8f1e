"""On-call pay: a month's duty per engineer, as payroll asks for it.

Pure: it reads no table and no clock. It is given the month's planned duty (the periods'
primaries), the overrides in the order they were made and the out-of-hours calls each
engineer answered (reports.oncall_pay loads them), and works in the team's zone:

- A month holds the duty of its days, from the handover on the 1st to the handover on the
  1st of the next month, as the Rota page, `rota generate` and `rota show` count it. Each
  day's duty runs from its handover to the next one (a weekly period is seven of them).
- Who held duty at an instant: the override made last of those covering it, else the
  period's primary; to the minute.
- Hours on duty: the time out of business hours an engineer held duty (all day on a
  weekend, public holiday or closure day). A night from 18:00 to 08:00 is 14 hours, 15
  when the clocks go back during it and 13 when they go forward.
- A day's duty with business hours in it is a night; one without any is a day off, named
  by the local date most of it falls on: a public holiday (dutyline.holidays), else a
  weekend day (a closure day that is no public holiday counts as one). A night or a day
  off goes to the engineer who held the most of its out-of-hours time (on a tie, the one
  who held it first), so an override for part of a night pays its hours, not the night.
- Calls out of hours: the out-of-hours calls an engineer answered that arrived in the month.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta

from dutyline.holidays import is_public_holiday
from dutyline.localtime import local_midnight
from rota.periods import local_handover
from rota.spans import in_hours_windows, out_of_hours_spans

NIGHT = "night"
WEEKEND_DAY = "weekend day"
PUBLIC_HOLIDAY = "public holiday"


@dataclass
class DutyPay:
    """One engineer's month: seconds held out of hours, the local dates of the nights (the
    day each starts), weekend days and public holidays they held, calls answered."""

    engineer_id: int
    seconds: int = 0
    nights: list = field(default_factory=list)
    weekend_days: list = field(default_factory=list)
    holidays: list = field(default_factory=list)
    calls: int = 0

    @property
    def minutes(self):
        """Whole minutes on duty (half a minute and more rounds up)."""
        return (self.seconds + 30) // 60

    def units(self, kind):
        return {NIGHT: self.nights, WEEKEND_DAY: self.weekend_days,
                PUBLIC_HOLIDAY: self.holidays}[kind]


def month_window(year, month, settings):
    """(start, end) in UTC: the handover on the 1st to the handover on the next month's 1st."""
    first = date(year, month, 1)
    after = first + timedelta(days=monthrange(year, month)[1])
    return local_handover(first, settings), local_handover(after, settings)


def held_spans(start, end, plan, overrides):
    """[(from, to, engineer id)] of [start, end): who held duty when, in order, without the
    time nobody held. `plan` holds (from, to, engineer id or None) of each period,
    `overrides` (from, to, engineer id) in the order they were made: the last one wins."""
    plan = [entry for entry in plan if entry[0] < entry[1]]
    overrides = [entry for entry in overrides if entry[0] < entry[1]]
    cuts = {start, end}
    cuts.update(t for a, b, _ in (*plan, *overrides) for t in (a, b) if start < t < end)
    cuts = sorted(cuts)
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        holder = _holder(a, plan, overrides)
        if holder is None:
            continue
        if spans and spans[-1][2] == holder and spans[-1][1] == a:
            spans[-1] = (spans[-1][0], b, holder)
        else:
            spans.append((a, b, holder))
    return spans


def _holder(at, plan, overrides):
    for a, b, engineer_id in reversed(overrides):
        if a <= at < b:
            return engineer_id
    covering = [entry for entry in plan if entry[0] <= at < entry[1]]
    return max(covering, key=lambda entry: entry[0])[2] if covering else None


def _overlap(a, b, c, d):
    return max(0.0, (min(b, d) - max(a, c)).total_seconds())


def _day_off_date(start, end, tz):
    """The local date most of [start, end) falls on (the earlier on a tie)."""
    day, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    best, most = day, -1.0
    while day <= last:
        share = _overlap(start, end, local_midnight(day, tz),
                         local_midnight(day + timedelta(days=1), tz))
        if share > most:
            best, most = day, share
        day += timedelta(days=1)
    return best


def slice_kind(settings, day, start, end):
    """(kind, local date) of the duty from the handover on `day` to the next one."""
    if in_hours_windows(settings, start, end):
        return NIGHT, day
    named = _day_off_date(start, end, settings.tz)
    return (PUBLIC_HOLIDAY if is_public_holiday(settings.holidays, named) else WEEKEND_DAY), named


def duty_pay(year, month, settings, plan, overrides, calls):
    """{engineer id: DutyPay} of the month (see the module's description). `calls` holds
    (engineer id, arrival) of the answered out-of-hours calls."""
    start, end = month_window(year, month, settings)
    held = held_spans(start, end, plan, overrides)
    pay = {}

    def of(engineer_id):
        return pay.setdefault(engineer_id, DutyPay(engineer_id))

    day = date(year, month, 1)
    while day.month == month:
        a, b = local_handover(day, settings), local_handover(day + timedelta(days=1), settings)
        kind, named = slice_kind(settings, day, a, b)
        shares = {}  # engineer id -> [seconds, first instant held]
        for c, d in out_of_hours_spans(settings, a, b):
            for e, f, engineer_id in held:
                seconds = _overlap(c, d, e, f)
                if seconds:
                    share = shares.setdefault(engineer_id, [0.0, max(c, e)])
                    share[0] += seconds
                    share[1] = min(share[1], max(c, e))
        for engineer_id, (seconds, _) in shares.items():
            of(engineer_id).seconds += round(seconds)
        if shares:
            winner = min(shares, key=lambda who: (-shares[who][0], shares[who][1]))
            of(winner).units(kind).append(named)
        day += timedelta(days=1)
    for engineer_id, arrived in calls:
        if engineer_id is not None and start <= arrived < end:
            of(engineer_id).calls += 1
    return pay
