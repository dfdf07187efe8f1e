"""The Calls page: the call log with filters, and one call's legs on a timeline. With several
teams the log is the chosen team's, and a call of a team the user may not see is not found."""

from datetime import date, timedelta

from flask import abort, g, render_template, request
from peewee import JOIN, fn

from customers.models import Customer
from dutyline.ids import MAX_ID
from dutyline.localtime import local_day_span
from reports.call_figures import team_condition
from rota.engineers import list_engineers
from rota.models import Engineer
from rota.teams import members
from telephony.models import Call, CallStatus, Leg
from voicemail.models import CallBack, Ticket
from web.blueprint import bp
from web.team_choice import calls_team, seen_or_404, team_settings

PAGE = 100
LOOK_BACK = timedelta(days=7)


def _day(text):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _int(text):
    try:
        number = int(text) if text else None
    except ValueError:
        return None
    # a number past the keys' range names nobody: 0, which no row has, so nothing matches
    return number if number is None or abs(number) <= MAX_ID else 0


def filtered_calls(tz, now, day=None, missed=False, engineer_id=None, customer_id=None,
                   limit=PAGE, team=None):
    """The newest calls matching the filters: a local day, missed only, an engineer rung or
    answering, a customer, a team (its id). Without a day, the engineer and customer filters
    look back LOOK_BACK (a bounded read of the started_at index, however long the log)."""
    answered = Engineer.alias()
    query = (Call
             .select(Call.id, Call.started_at, Call.from_number, Call.mode, Call.status,
                     Call.duration, Call.answered_by, answered.name.alias("answered_name"),
                     Customer.name.alias("customer_name"))
             .join(answered, JOIN.LEFT_OUTER, on=(Call.answered_by == answered.id))
             .switch(Call)
             .join(Customer, JOIN.LEFT_OUTER, on=(Call.customer == Customer.id))
             .order_by(Call.started_at.desc(), Call.id.desc())
             .limit(limit))
    if day is not None:
        start, end = local_day_span(day, day, tz)
        query = query.where(Call.started_at >= start, Call.started_at < end)
    elif engineer_id is not None or customer_id is not None:
        query = query.where(Call.started_at >= now - LOOK_BACK)
    if missed:  # nobody accepted: voicemail, fallback and abandoned, as `calls list --missed`
        query = query.where(Call.answered_at.is_null(), Call.status != CallStatus.BLOCKED)
    if engineer_id is not None:
        rung = (Leg
                .select(Leg.id)
                .where(Leg.call == Call.id, Leg.engineer == engineer_id))
        query = query.where((Call.answered_by == engineer_id) | fn.EXISTS(rung))
    if customer_id is not None:
        query = query.where(Call.customer == customer_id)
    if team is not None:
        query = query.where(team_condition(team))
    return list(query.objects())


@bp.get("/calls")
def calls():
    tz = team_settings().tz
    args = request.args
    chosen = {"day": _day(args.get("day")), "missed": args.get("missed") == "1",
              "engineer_id": _int(args.get("engineer")), "customer_id": _int(args.get("customer"))}
    rows = filtered_calls(tz, g.now, **chosen, team=calls_team())
    if g.user.engineer_id is not None:  # an engineer's own calls first
        rows.sort(key=lambda call: call.answered_by_id != g.user.engineer_id)
    customers = list(Customer.select(Customer.id, Customer.name).order_by(Customer.name))
    return render_template("calls.html", calls=rows, chosen=chosen, args=args,
                           engineers=members(g.team) if g.team else list_engineers(),
                           customers=customers, page=PAGE,
                           look_back=LOOK_BACK.days)


def timeline(call, legs, now):
    """Each leg as bar segments over the call's length: [(leg, [(left %, width %, stage)])],
    the stages ringing (to the pick-up), whisper (to the press of 1) and connected."""
    end = call.ended_at or max([leg.ended_at or now for leg in legs] + [call.started_at])
    total = max((end - call.started_at).total_seconds(), 1.0)

    def at(moment):
        return min(max((moment - call.started_at).total_seconds() / total * 100, 0.0), 100.0)

    bars = []
    for leg in legs:
        leg_end = leg.ended_at or end
        marks = [(leg.started_at, "ringing"), (leg.picked_up_at, "whisper"),
                 (leg.accepted_at, "connected")]
        marks = [(moment, stage) for moment, stage in marks if moment is not None]
        segments = []
        for (moment, stage), following in zip(marks, marks[1:] + [(leg_end, None)]):
            left = at(moment)
            segments.append((round(left, 2), round(max(at(following[0]) - left, 0.6), 2), stage))
        bars.append((leg, segments))
    return bars, total


@bp.get("/calls/<int:call_id>")
def call_detail(call_id):
    call = (Call
            .select(Call, Customer)
            .join(Customer, JOIN.LEFT_OUTER, on=(Call.customer == Customer.id))
            .where(Call.id == call_id)
            .first())
    if call is None:
        abort(404)
    seen_or_404(call.team_id)
    legs = list(Leg
                .select(Leg, Engineer)
                .join(Engineer, JOIN.LEFT_OUTER, on=(Leg.engineer == Engineer.id))
                .where(Leg.call == call.id)
                .order_by(Leg.step))
    bars, total = timeline(call, legs, g.now)
    answered = Engineer.get_or_none(Engineer.id == call.answered_by_id) if call.answered_by_id else None
    ticket = Ticket.get_or_none(Ticket.call == call.id)
    made = list(CallBack.select().where(CallBack.ticket == ticket.id).order_by(CallBack.id)) \
        if ticket is not None else []
    return render_template("call.html", call=call, bars=bars, total=total, answered=answered,
                           ticket=ticket, callbacks=made)
