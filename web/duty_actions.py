"""An engineer's buttons on the Now page: take tonight's duty (TAKE) and cover tonight (COVER),
through the same functions as the texts, audited in the user's name. With several teams they
act on the chosen team's rota, in its settings (its hours, handover and zone)."""

from flask import flash, g, redirect, request, url_for

from accounts import audit
from rota.cover import cover_span, set_cover
from rota.engineers import RotaError
from rota.labels import local_label, relative_label
from rota.take import NothingToTake, take_duty
from rota.teams import teams_of
from web.blueprint import bp
from web.swaps_page import my_engineer
from web.team_choice import team_id, team_settings


def _in_chosen_team(me):
    """True when `me` is in the team the page acts on (always with one team); else a warning
    is flashed: an engineer takes or covers only their own teams' duty, as by text."""
    if g.get("team") is None or team_id() in {team.id for team in teams_of(me)}:
        return True
    flash(f"You are not in team {g.team.name}: choose one of your teams to take or cover "
          "its duty.", "warning")
    return False


@bp.post("/now/take")
def take_tonight():
    me = my_engineer()
    if not _in_chosen_team(me):
        return redirect(url_for("web.now"))
    settings = team_settings()
    tz = settings.tz
    try:
        taken = take_duty(me, g.now, settings, team_id())
    except NothingToTake as exc:
        when = relative_label(exc.ahead_from, g.now, tz) if exc.ahead_from else "now"
        flash(f"There is no duty period from {when}, so there is nothing to take.", "warning")
        return redirect(url_for("web.now"))
    except RotaError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("web.now"))
    span = (f"from {relative_label(taken.starts_at, g.now, tz)} until "
            f"{relative_label(taken.ends_at, g.now, tz)}")
    if taken.already:
        flash(f"You are on duty {span} already.")
        return redirect(url_for("web.now"))
    audit.record(g.user.email, "duty taken", f"{me.name} on duty from "
                 f"{local_label(taken.starts_at, tz)} to {local_label(taken.ends_at, tz)}"
                 + (f" instead of {taken.previous.name}" if taken.previous else ""), g.now)
    told = f"; {taken.previous.name} has been told" if taken.previous is not None else ""
    flash(f"You are on duty {span}: the support line forwards to you{told}.")
    return redirect(url_for("web.now"))


@bp.post("/now/cover")
def cover_tonight():
    me = my_engineer()
    if not _in_chosen_team(me):
        return redirect(url_for("web.now"))
    settings = team_settings()
    tz = settings.tz
    on = request.form.get("on") == "1"
    until = set_cover(me, on, settings, g.now)
    audit.record(g.user.email, "cover", f"{me.name}: " + (
        "off" if until is None else f"until {local_label(until, tz)}"), g.now)
    if until is None:
        flash("Cover off: out-of-hours calls will not ring you unless you are on duty.")
    else:
        starts_at = cover_span(g.now, settings)[0]
        flash(f"You are cover from {relative_label(max(starts_at, g.now), g.now, tz)} until "
              f"{relative_label(until, g.now, tz)}: out-of-hours calls ring you after the duty "
              "engineer and the backup.")
    return redirect(url_for("web.now"))
