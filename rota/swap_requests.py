"""Swap requests: an engineer asks a colleague to swap days, and the colleague accepts (on the
web or by texting YES) or declines.

The requester offers a duty period they hold as primary for one the colleague holds as
primary. The colleague is texted through the outbox in the transaction that records the
request. Accepting swaps the two periods through rota.swaps (so a period that has started
is refused, as any swap's), and tells the requester. A request is open while pending and
until either period starts; one whose periods no longer hold the two engineers (a manager
changed the rota since) is void when answered, and nothing is swapped.
"""

import logging

from outbox.models import SMS
from outbox.queue import enqueue
from rota.engineers import RotaError
from rota.labels import local_label
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, SwapRequest, team_id
from rota.seen import AlreadyDone, rota_write
from rota.started import StartedPeriod, has_started
from rota.swaps import period_on, swap_periods

log = logging.getLogger(__name__)

PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
VOID = "void"


class NoSwapWaiting(RotaError):
    """No open swap request is waiting for the engineer's answer."""


def _label(period, tz):
    return local_label(period.starts_at, tz)


def _period(request, day):
    """The period of the request's team starting on `day`, or None."""
    return DutyPeriod.get_or_none(DutyPeriod.team == request.team_id, DutyPeriod.day == day)


def is_open(request, now):
    """Pending, and neither period has started by `now`."""
    return request.status == PENDING and request.expires_at > now


def ask_swap(requester, give_day, take_day, settings, now, team=FIRST_TEAM):
    """Record `requester`'s request to swap their period of the team's rota on `give_day`
    for the colleague's on `take_day`, and text the colleague; returns the SwapRequest. The
    same request still open is AlreadyDone (a form sent twice asks once)."""
    tz = settings.tz
    with rota_write():
        give, take = period_on(give_day, settings, team), period_on(take_day, settings, team)
        if give.id == take.id:
            raise RotaError(f"{give_day} and {take_day} are the same duty period")
        if give.primary_id != requester.id:
            raise RotaError(f"you are not on duty from {_label(give, tz)}, so it is not "
                            "yours to swap")
        colleague = Engineer.get_or_none(Engineer.id == take.primary_id, Engineer.active)
        if colleague is None:
            raise RotaError(f"nobody is on duty from {_label(take, tz)} to swap with")
        if colleague.id == requester.id:
            raise RotaError(f"you are on duty from {_label(take, tz)} already")
        for period in (give, take):
            if has_started(period.starts_at, now):
                raise StartedPeriod(f"the duty period from {_label(period, tz)} has started; "
                                    "it can no longer be swapped")
        asked = (SwapRequest
                 .select()
                 .where(SwapRequest.team == team, SwapRequest.requester == requester.id,
                        SwapRequest.colleague == colleague.id,
                        SwapRequest.give_day == give.day, SwapRequest.take_day == take.day,
                        SwapRequest.status == PENDING, SwapRequest.expires_at > now)
                 .first())
        if asked is not None:
            raise AlreadyDone(f"you asked {colleague.name} already")
        request = SwapRequest.create(team=team_id(team), requester=requester,
                                     colleague=colleague, give_day=give.day, take_day=take.day,
                                     created_at=now,
                                     expires_at=min(give.starts_at, take.starts_at))
        answer = ("reply YES to accept, or answer on the web" if settings.text_commands
                  else "answer on the web")  # with text commands off, YES does nothing
        enqueue(SMS, colleague.mobile,
                f"{requester.name} asks you to swap {_label(give, tz)} (theirs) for "
                f"{_label(take, tz)} (yours): {answer}.", f"rota.swap-asked:{request.id}", now)
    log.info("rota.swap_requests.ask_swap: request=%s requester=%s colleague=%s", request.id,
             requester.id, colleague.id)
    return request


def coming_periods(now, ahead, team=FIRST_TEAM):
    """The team's duty periods starting after `now` and before `now + ahead`, in order, with
    a primary: the days a swap can be asked for."""
    return list(DutyPeriod
                .select()
                .where(DutyPeriod.team == team, DutyPeriod.starts_at > now,
                       DutyPeriod.starts_at < now + ahead,
                       DutyPeriod.primary.is_null(False))
                .order_by(DutyPeriod.starts_at))


def get_request(request_id):
    """The swap request with this id, with its engineers, or RotaError."""
    request = SwapRequest.get_or_none(SwapRequest.id == request_id)
    if request is None:
        raise RotaError(f"no swap request {request_id}")
    return request


def _open(who, now, team):
    query = (SwapRequest
             .select()
             .where(who, SwapRequest.status == PENDING, SwapRequest.expires_at > now)
             .order_by(SwapRequest.created_at, SwapRequest.id))
    return list(query if team is None else query.where(SwapRequest.team == team_id(team)))


def waiting_for(engineer, now, team=None):
    """Open requests that `engineer` is asked to answer, oldest first: of every team, or of
    `team` when given."""
    return _open(SwapRequest.colleague == engineer.id, now, team)


def asked_by(engineer, now, team=None):
    """Open requests `engineer` made, oldest first: of every team, or of `team` when given."""
    return _open(SwapRequest.requester == engineer.id, now, team)


def _open_for(request_id, engineer, role, now, done):
    """The request, reloaded under the rota's lock, when `engineer` is its `role` and it is
    open; AlreadyDone when it was answered as `done` already; RotaError otherwise."""
    request = get_request(request_id)
    if getattr(request, f"{role}_id") != engineer.id:
        whose = "to" if role == "colleague" else "from"
        raise RotaError(f"swap request {request.id} is not {whose} you")
    if request.status == done:
        raise AlreadyDone(f"swap request {request.id} was {done} already")
    if request.status != PENDING:
        raise RotaError(f"swap request {request.id} was {request.status}")
    if request.expires_at <= now:
        raise StartedPeriod(f"swap request {request.id} has expired: its duty has started")
    return request


def accept(request_id, engineer, settings, now):
    """The colleague `engineer` accepts: the two periods are swapped (rota.swaps, its checks)
    and the requester is told. Returns the request; RotaError (nothing changes) when it is
    not theirs or no longer open, and the request becomes void when the rota changed."""
    tz = settings.tz
    with rota_write():
        request = _open_for(request_id, engineer, "colleague", now, ACCEPTED)
        give = _period(request, request.give_day)
        take = _period(request, request.take_day)
        changed = (give is None or take is None or give.primary_id != request.requester_id
                   or take.primary_id != request.colleague_id)
        if not changed:
            swap_periods(give.day, take.day, settings, now,
                         told_apart={request.requester_id, request.colleague_id},
                         team=request.team_id)
            request.status, request.answered_at = ACCEPTED, now
            request.save()
            requester = request.requester
            enqueue(SMS, requester.mobile,
                    f"{engineer.name} accepted your swap: you are on duty from "
                    f"{_label(take, tz)} instead of {_label(give, tz)}.",
                    f"rota.swap-answered:{request.id}", now)
    if changed:  # outside the block that would undo it: the request is void from now on
        SwapRequest.update(status=VOID, answered_at=now).where(
            SwapRequest.id == request.id, SwapRequest.status == PENDING).execute()
        raise RotaError("the rota has changed since the swap was asked for; nothing was "
                        "swapped")
    log.info("rota.swap_requests.accept: request=%s", request.id)
    return request


def decline(request_id, engineer, settings, now):
    """The colleague `engineer` declines; the requester is told. Returns the request."""
    with rota_write():
        request = _open_for(request_id, engineer, "colleague", now, DECLINED)
        request.status, request.answered_at = DECLINED, now
        request.save()
        enqueue(SMS, request.requester.mobile,
                f"{engineer.name} declined your swap of {describe_days(request, settings)}; "
                "the rota stays as it was.", f"rota.swap-answered:{request.id}", now)
    return request


def withdraw(request_id, engineer, now):
    """The requester `engineer` takes the request back. Returns the request."""
    with rota_write():
        request = _open_for(request_id, engineer, "requester", now, WITHDRAWN)
        request.status, request.answered_at = WITHDRAWN, now
        request.save()
    return request


def accept_only(engineer, settings, now):
    """Accept the one open request waiting for `engineer` (a text's YES): NoSwapWaiting when
    there is none, RotaError naming how many when there are several (nothing changes)."""
    waiting = waiting_for(engineer, now)
    if not waiting:
        raise NoSwapWaiting("no swap request is waiting for your answer")
    if len(waiting) > 1:
        raise RotaError(f"{len(waiting)} swap requests are waiting for you; accept the one "
                        "you mean on the web")
    return accept(waiting[0].id, engineer, settings, now)


def day_labels(request, settings):
    """("18:00 Tue 8 Dec", "18:00 Thu 10 Dec"): the requester's day, then the colleague's."""
    labels = []
    for day in (request.give_day, request.take_day):
        period = _period(request, day)
        labels.append(_label(period, settings.tz) if period is not None
                      else f"{day:%a} {day.day} {day:%b}")
    return tuple(labels)


def describe_days(request, settings):
    """"18:00 Tue 8 Dec for 18:00 Thu 10 Dec": the requester's day, then the colleague's."""
    give, take = day_labels(request, settings)
    return f"{give} for {take}"
