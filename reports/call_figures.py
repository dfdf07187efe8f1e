"""The calls of a span counted in the database: one pass over the call log, grouped by the
report's key, by outcome and by the whole second of the wait (for the percentiles)."""

from peewee import SQL, Case, fn

from reports.measures import CallTally
from reports.models import partial_until
from reports.sql import (instant, is_postgres, local_day, local_hour, milliseconds_between,
                         seconds_between)
from rota.models import FIRST_TEAM
from telephony.models import Call, CallStatus

# how a call ended, as the statistics count it (a call's outcome, not its status)
ANSWERED = "answered"
BLOCKED = "blocked"
VOICEMAIL = "voicemail"
FALLBACK = "fallback"
UNFINISHED = "unfinished"
ABANDONED_GREETING = "abandoned_greeting"
ABANDONED_HUNTING = "abandoned_hunting"
ABANDONED_UNKNOWN = "abandoned"  # logged before the statistics: the stage is not known
ABANDONED = (ABANDONED_GREETING, ABANDONED_HUNTING, ABANDONED_UNKNOWN)


def _text(value):
    return SQL(f"'{value}'")


def _true():
    return SQL("1 = 1")


def legacy_condition(column):
    """True for calls logged before full recording began (see reports.models)."""
    until = partial_until()
    return (column <= instant(until)) if until is not None else ~_true()


def outcome_case():
    """How a call ended, as SQL: the first that applies of answered (an engineer accepted),
    blocked (a number on the block list: never offered), voicemail, fallback, not ended yet,
    abandoned (before any engineer rang, or after)."""
    legacy = legacy_condition(Call.started_at)
    return Case(None, [
        (Call.answered_at.is_null(False), _text(ANSWERED)),
        (Call.status == _text(CallStatus.BLOCKED), _text(BLOCKED)),
        (Call.voicemail_at.is_null(False) | (Call.status == CallStatus.VOICEMAIL),
         _text(VOICEMAIL)),
        (Call.fallback_at.is_null(False), _text(FALLBACK)),
        (Call.ended_at.is_null(), _text(UNFINISHED)),
        (legacy, _text(ABANDONED_UNKNOWN)),
        (Call.ringing_at.is_null(), _text(ABANDONED_GREETING)),
    ], _text(ABANDONED_HUNTING))


def wait_milliseconds():
    """Arrival to connection, in whole milliseconds, for answered calls (NULL for the
    others, with no time spent reading their arrival)."""
    return Case(None, [(Call.answered_at.is_null(False),
                        milliseconds_between(fn.COALESCE(Call.connected_at, Call.answered_at),
                                             Call.started_at))])


def group_key(group, offsets):
    if group == "day":
        return local_day(Call.started_at, offsets)
    if group == "hour":
        return local_hour(Call.started_at, offsets)
    if group == "customer":
        return Call.customer
    if group == "engineer":
        return Call.answered_by
    return SQL("0")


def in_span(query, span, column=Call.started_at):
    query = query.where(column >= span.start, column < span.end)
    if span.mode:
        query = query.where(Call.mode == span.mode)
    if span.team is not None:
        query = query.where(team_condition(span.team))
    return query


def team_condition(team_id):
    """The calls of the team `team_id`; the first team's include any call with no team
    (every call logged before teams was given the first by the upgrade)."""
    if team_id == FIRST_TEAM:
        return (Call.team == team_id) | Call.team.is_null()
    return Call.team == team_id


def call_tallies(span, group, by_mode=False):
    """{group key: CallTally} for the calls that arrived in the span. `group` may be a tuple
    of groups, and `by_mode` puts the call's mode first: the key is then a tuple, e.g.
    (mode, hour, engineer id) for by_mode and ("hour", "engineer").

    The inner query works out each call's key, outcome, wait and time to hang-up once; the
    outer one counts them by key, outcome and whole second of the wait.
    """
    legacy = legacy_condition(Call.started_at)
    keys = key_columns(group, by_mode, lambda name: group_key(name, span.offsets()), Call.mode)
    row = (Call
           .select(*[key.alias(f"k{n}") for n, key in enumerate(keys)],
                   outcome_case().alias("o"),
                   wait_milliseconds().alias("w"),
                   # only unanswered calls can be short abandons: no time spent on the rest
                   Case(None, [((Call.answered_at.is_null() & Call.voicemail_at.is_null()
                                 & Call.fallback_at.is_null()),
                                seconds_between(Call.ended_at, Call.started_at))]).alias("d"),
                   Case(None, [(legacy, SQL("1"))], SQL("0")).alias("p")))
    row = in_span(row, span)
    # a LIMIT (SQLite) or OFFSET (PostgreSQL) keeps the database from copying the
    # expressions outward: the grouping then sorts a few small values a call
    row = row.offset(0) if is_postgres() else row.limit(-1)
    calls = row.alias("c")
    abandoned = calls.c.o.in_([_text(name) for name in ABANDONED])
    short = abandoned & (calls.c.d <= SQL(str(int(span.short_abandon_seconds))))
    within = calls.c.w <= SQL(str(int(span.threshold_seconds) * 1000))
    width = len(keys)
    query = (Call
             .select(*[getattr(calls.c, f"k{n}") for n in range(width)], calls.c.o,
                     _whole_seconds(calls.c.w / SQL("1000.0")), fn.COUNT(SQL("*")),
                     fn.SUM(calls.c.w), _sum(within), _sum(short), fn.SUM(calls.c.p))
             .from_(calls)
             .group_by(*[SQL(str(n)) for n in range(1, width + 3)]))
    tallies = {}
    for values in query.tuples():
        tally = tallies.setdefault(values[0] if width == 1 else values[:width], CallTally())
        _count(tally, *values[width:])
    return tallies


def _whole_seconds(wait):
    """A wait rounded to the whole second, halves up on both databases (PostgreSQL's
    round() of a double rounds halves to even)."""
    return fn.FLOOR(wait + SQL("0.5")) if is_postgres() else fn.ROUND(wait)


def key_columns(group, by_mode, column, mode):
    """The key expressions of a grouping: the mode first when asked, then each group's."""
    names = group if isinstance(group, tuple) else (group,)
    return ([mode] if by_mode else []) + [column(name) for name in names]


def _sum(condition):
    return fn.SUM(Case(None, [(condition, SQL("1"))], SQL("0")))


def _count(tally, name, whole, count, wait_sum, within_count, short_count, legacy):
    tally.calls += count
    tally.legacy += legacy or 0
    if name == ANSWERED:
        tally.answered += count
        tally.answered_within += within_count or 0
        tally.wait_ms += int(wait_sum or 0)
        if whole is not None:
            second = max(0, int(whole))
            tally.waits[second] = tally.waits.get(second, 0) + count
    elif name == VOICEMAIL:
        tally.voicemail += count
    elif name == FALLBACK:
        tally.fallback += count
    elif name == UNFINISHED:
        tally.unfinished += count
    elif name == BLOCKED:
        tally.blocked += count
    else:
        short_count = short_count or 0
        tally.short_abandons += short_count
        kept = count - short_count
        if name == ABANDONED_GREETING:
            tally.abandoned_greeting += kept
        elif name == ABANDONED_HUNTING:
            tally.abandoned_hunting += kept
        else:
            tally.abandoned_unknown += kept
