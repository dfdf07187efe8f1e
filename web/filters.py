"""Template filters: instants in the team's time zone (the chosen team's: web.team_choice),
with the zone named."""

from flask import current_app, g

from web.access import is_manager, is_manager_of_every_team
from web.context import runtime


def local(value, fmt="%a %d %b %Y %H:%M"):
    """An aware instant as local time in the team's zone, the zone's abbreviation appended."""
    if value is None:
        return "–"
    here = value.astimezone(_zone())
    return f"{here.strftime(fmt)} {here.tzname()}"


def _zone():
    return (g.get("team_settings") or runtime().settings).tz


def local_time(value):
    return local(value, "%H:%M")


def seconds(value):
    if value is None:
        return "–"
    minutes, rest = divmod(int(value), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def register_filters(bp):
    @bp.app_template_filter("local")
    def _local(value, fmt="%a %d %b %Y %H:%M"):
        return local(value, fmt)

    @bp.app_template_filter("local_time")
    def _local_time(value):
        return local_time(value)

    @bp.app_template_filter("clock")
    def _clock(value):  # where the page names the zone once (the grid)
        return value.astimezone(_zone()).strftime("%H:%M")

    @bp.app_template_filter("seconds")
    def _seconds(value):
        return seconds(value)

    @bp.app_context_processor
    def team_zone():
        settings = g.get("team_settings") or runtime().settings
        return {"zone_name": settings.timezone,
                "current_user": g.get("user"), "endpoints": current_app.view_functions,
                "manager": is_manager() if g.get("user") else False,
                "every_team_manager": is_manager_of_every_team() if g.get("user") else False,
                "ring_test_opt_out": settings.ring_test_opt_out,
                "chosen_team": g.get("team"), "switch_teams": g.get("teams") or []}
