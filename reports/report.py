"""report(span, group): the call statistics of a span, per group and in total.

The one implementation behind `dutyline report calls`, the weekly summary and the web
interface. docs/statistics.md defines every figure and where it comes from.
"""

from dataclasses import dataclass, field

from reports import day_groups, units
from reports.call_figures import call_tallies
from reports.leg_figures import leg_tallies
from reports.limits import Budget, ReportError, check_length
from reports.measures import FORMULA, CallTally, LegTally, TicketTally
from reports.models import partial_until
from reports.ticket_figures import ticket_tallies
from rota.models import Engineer
from customers.models import Customer

GROUPS = ("day", "week", "month", "hour", "engineer", "customer")
NO_CUSTOMER = "(no customer)"
NOBODY = "(nobody)"


@dataclass(frozen=True)
class Report:
    """What report() returns: `rows` (one dict per group, in order) and `total` (the span)."""

    span: object
    group: str | None
    rows: list
    total: dict
    formula: str
    unknown: list = field(default_factory=list)  # what cannot be known for older calls
    waits: dict = field(default_factory=dict)  # whole seconds of wait -> answered calls (total)

    def __iter__(self):
        return iter(self.rows)

    def as_dict(self):
        return {"from": self.span.start.isoformat(), "to": self.span.end.isoformat(),
                "timezone": self.span.timezone, "mode": self.span.mode or "all",
                "group": self.group, "threshold_seconds": self.span.threshold_seconds,
                "short_abandon_seconds": self.span.short_abandon_seconds,
                "formula": self.formula, "unknown": self.unknown,
                "groups": self.rows, "total": self.total}


def report(span, group=None, *, kept=True, budget=None):
    """The statistics of the calls (and tickets) that arrived in `span`, grouped by `group`
    ("day", "week", "month", "hour", "engineer", "customer", or None for the total alone).
    Weeks and months are their days added up (reports.day_groups).

    The closed days and hours of the span come from their kept figures (reports.units),
    the rest is counted from the call log; `kept=False` counts everything from the log.
    A span of one team (`span.team`) is always counted from the log: the kept figures are
    of every team's calls together, and keeping them per team as well would double the
    units and the triggers that drop them for a gain the span limit (reports.limits) makes
    small; the log's index on arrival bounds the count to the span's own calls.
    Figures not yet kept are counted and kept while `budget` (reports.limits.Budget, a new
    one by default) lasts; StillCounting when some are missing after it. ReportError for
    a span longer than reports.limits.MAX_DAYS.
    """
    if group is not None and group not in GROUPS:
        raise ReportError(f"group must be one of {', '.join(GROUPS)}")
    check_length(span)
    by = "day" if group in day_groups.GROUPS else group

    def live(sub):
        return (call_tallies(sub, by), ticket_tallies(sub, by),
                leg_tallies(sub) if group == "engineer" else {})

    calls, tickets, legs = (units.gather(span, by, live, budget or Budget())
                            if kept and span.team is None and units.ready() else live(span))
    if by != group:
        calls, tickets = (day_groups.fold(found, group, span.week_start)
                          for found in (calls, tickets))
    total_calls, total_tickets = CallTally(), TicketTally()
    for tally in calls.values():
        total_calls.add(tally)
    for tally in tickets.values():
        total_tickets.add(tally)
    rows = [_row(group, key, label, calls.get(key), tickets.get(key), legs, span, *days)
            for key, label, *days in _keys(group, span, calls, tickets, legs)] if group else []
    total = {"key": "total", "label": "total",
             **total_calls.measures(span.threshold_seconds), **total_tickets.measures()}
    if group == "engineer":
        whole = LegTally()
        for tally in legs.values():
            for name, value in vars(tally).items():
                setattr(whole, name, getattr(whole, name) + value)
        total.update(whole.measures())
    formula = FORMULA.format(t=span.threshold_seconds, s=span.short_abandon_seconds)
    return Report(span=span, group=group, rows=rows, total=total, formula=formula,
                  unknown=_unknown(total_calls), waits=dict(total_calls.waits))


def _row(group, key, label, calls, tickets, legs, span, first=None, last=None):
    row = {"key": key, "label": label}
    if first is not None:  # a week or a month: the days of it the span covers
        row.update(first_day=first.isoformat(), last_day=last.isoformat())
    row.update((calls or CallTally()).measures(span.threshold_seconds))
    row.update((tickets or TicketTally()).measures())
    if group == "engineer":
        row["name"] = label
        row.update(legs.get(key, LegTally()).measures())
        # a call nobody answered belongs to the line, not to an engineer: the row of
        # nobody keeps those calls (how many, and how they ended), an engineer's row not
        line = ("offered", "service_level", "abandonment")
        if key is not None:
            line += ("short_abandons", "abandoned", "abandoned_greeting", "abandoned_hunting",
                     "voicemail", "fallback", "unfinished", "blocked", "calls")
        for name in line:
            row[name] = None
    return row


def _keys(group, span, calls, tickets, legs):
    """(key, label) of every row, in the order shown; a week or a month also gives the
    first and last of its days in the span."""
    if group == "day":
        return [(day.isoformat(), day.strftime("%a %d %b %Y")) for day in span.local_days()]
    if group == "hour":
        return [(hour, f"{hour:02d}:00") for hour in range(24)]
    if group in day_groups.GROUPS:
        return day_groups.periods(span, group)
    ids = {key for key in (*calls, *tickets, *legs) if key is not None}
    model = Engineer if group == "engineer" else Customer
    names = dict(model.select(model.id, model.name).where(model.id.in_(list(ids))).tuples()) \
        if ids else {}
    keyed = sorted(((key, names.get(key, f"#{key}")) for key in ids), key=lambda kv: kv[1])
    if group == "customer" and (None in calls or None in tickets):
        keyed.append((None, NO_CUSTOMER))
    if group == "engineer" and None in calls:
        keyed.append((None, NOBODY))  # the calls no engineer answered
    return keyed


def _unknown(tally):
    if not tally.legacy:
        return []
    until = partial_until()
    return [f"{tally.legacy} call(s) arrived before call statistics were recorded in full "
            f"(up to {until.isoformat()}): for them, where an unanswered call was abandoned "
            "(greeting or hunting), a voicemail prompt left without a message, the fallback "
            "number, and when each phone started ringing are not known; their unanswered "
            "calls without a message count as abandoned"]
