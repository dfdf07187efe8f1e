"""The coverage check of a month: gaps out of hours, absent engineers on duty, bad overrides."""

from dataclasses import dataclass

from rota.absences import absences_between, is_absent
from rota.change_warnings import back_to_back_pairs
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, TeamMember
from rota.months import month_periods, month_span
from rota.overrides import overrides_between
from rota.spans import merge_spans, out_of_hours_spans, subtract_spans

GAP = "gap"
ABSENT = "absent"
NO_BACKUP = "no_backup"
BAD_OVERRIDE = "bad_override"
BACK_TO_BACK = "back_to_back"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the rota, with the span it concerns."""

    kind: str
    starts_at: object
    ends_at: object
    engineer: str | None = None
    role: str | None = None

    def describe(self, tz):
        """One line in words, times local to `tz`."""
        span = (f"{self.starts_at.astimezone(tz):%a %d %b %Y %H:%M} to "
                f"{self.ends_at.astimezone(tz):%a %d %b %Y %H:%M}")
        if self.kind == GAP:
            hours, minutes = divmod(int((self.ends_at - self.starts_at).total_seconds() // 60), 60)
            length = f"{hours} h" + (f" {minutes} min" if minutes else "")
            return f"nobody on duty out of hours from {span} ({length})"
        if self.kind == ABSENT:
            return f"{self.engineer} is {self.role} from {span} but absent then"
        if self.kind == BACK_TO_BACK:
            return f"{self.engineer} is on back-to-back periods from {span}"
        if self.kind == NO_BACKUP:
            return f"no backup from {span}"
        return f"override for {self.engineer} ends before it starts ({span})"

    def as_dict(self, tz):
        return {"kind": self.kind, "starts_at": self.starts_at.isoformat(),
                "ends_at": self.ends_at.isoformat(), "engineer": self.engineer,
                "role": self.role, "text": self.describe(tz)}


def check_month(year, month, settings, team=FIRST_TEAM):
    """Every problem of the team's rota for the month, in time order (empty when all is
    well); `settings` are the team's (its hours, handover and backup)."""
    start, end = month_span(year, month, settings)
    overrides = overrides_between(start, end, team)
    valid = [o for o in overrides if o.ends_at > o.starts_at]
    problems = [Problem(BAD_OVERRIDE, o.starts_at, o.ends_at, o.engineer.name)
                for o in overrides if o.ends_at <= o.starts_at]
    problems += _gaps(settings, start, end, valid, team)
    problems += _absent_on_duty(month_periods(year, month, team), settings, valid)
    problems += _back_to_back(year, month, team)
    return sorted(problems, key=lambda p: (p.starts_at, p.kind, p.engineer or ""))


def check_span(start, end, settings, team=FIRST_TEAM):
    """Gaps out of the team's hours in [start, end), and absent engineers on its periods and
    overrides overlapping it, in time order: what managers are warned about ahead."""
    valid = [o for o in overrides_between(start, end, team) if o.ends_at > o.starts_at]
    periods = list(DutyPeriod
                   .select()
                   .where(DutyPeriod.team == team, DutyPeriod.starts_at < end,
                          DutyPeriod.ends_at > start)
                   .order_by(DutyPeriod.starts_at))
    problems = _gaps(settings, start, end, valid, team)
    problems += [p for p in _absent_on_duty(periods, settings, valid) if p.kind == ABSENT]
    return sorted(problems, key=lambda p: (p.starts_at, p.kind, p.engineer or ""))


def _gaps(settings, start, end, overrides, team):
    # a removed (inactive) engineer's periods and overrides cover nothing: they are gaps
    covered = [(p.starts_at, p.ends_at) for p in (DutyPeriod
                                                  .select(DutyPeriod.starts_at,
                                                          DutyPeriod.ends_at)
                                                  .join(Engineer,
                                                        on=(DutyPeriod.primary == Engineer.id))
                                                  .where(DutyPeriod.team == team,
                                                         DutyPeriod.starts_at < end,
                                                         DutyPeriod.ends_at > start,
                                                         Engineer.active))]
    covered += [(o.starts_at, o.ends_at) for o in overrides if o.engineer.active]
    gaps = []
    for a, b in out_of_hours_spans(settings, start, end):
        gaps += subtract_spans(a, b, covered)
    return [Problem(GAP, a, b) for a, b in merge_spans(gaps)]


def _absent_on_duty(periods, settings, overrides):
    if not periods:
        return []
    absences = absences_between(periods[0].starts_at, periods[-1].ends_at)
    names = {e.id: e.name for e in Engineer.select()}
    problems = []
    for period in periods:
        if period.primary_id is not None:
            # the parts of the period covered by someone else's override do not count
            others = [(o.starts_at, o.ends_at) for o in overrides
                      if o.engineer_id != period.primary_id]
            duty = subtract_spans(period.starts_at, period.ends_at, others)
            if any(is_absent(absences.get(period.primary_id, ()), a, b) for a, b in duty):
                problems.append(Problem(ABSENT, period.starts_at, period.ends_at,
                                        names[period.primary_id], "primary"))
        if period.backup_id is not None:
            if is_absent(absences.get(period.backup_id, ()), period.starts_at, period.ends_at):
                problems.append(Problem(ABSENT, period.starts_at, period.ends_at,
                                        names[period.backup_id], "backup"))
        elif settings.backup and period.primary_id is not None:
            problems.append(Problem(NO_BACKUP, period.starts_at, period.ends_at))
    for override in overrides:
        spans = absences_between(override.starts_at, override.ends_at).get(override.engineer_id, ())
        if spans:
            problems.append(Problem(ABSENT, override.starts_at, override.ends_at,
                                    override.engineer.name, "override"))
    return problems


def _back_to_back(year, month, team):
    """Engineers on two consecutive periods of the team, the later of which starts in the
    month, where the team could have avoided it (see `avoidable`)."""
    periods = month_periods(year, month, team)
    if not periods:
        return []
    before = DutyPeriod.get_or_none(DutyPeriod.team == team,
                                    DutyPeriod.ends_at == periods[0].starts_at)
    engineers = list(Engineer.select(Engineer.id, Engineer.name, Engineer.active))
    team_members = {m.engineer_id for m in TeamMember.select().where(TeamMember.team == team)}
    names = {e.id: e.name for e in engineers}
    active = {e.id for e in engineers if e.active and e.id in team_members}
    pairs = back_to_back_pairs(periods, before)
    away = absences_between(pairs[0][1].starts_at, pairs[-1][2].ends_at) if pairs else {}
    return [Problem(BACK_TO_BACK, first.starts_at, second.ends_at, names[engineer_id])
            for engineer_id, first, second in pairs
            if avoidable(first, second, active, away)]


def avoidable(first, second, active, away):
    """True when two consecutive periods could have had nobody in common: the active
    engineers free (in `away`, {id: absence spans}, for neither period) are at least as many
    as the places the two periods fill. With fewer (two engineers and backups, leave) one of
    them has to hold both, as generation says, and it is not a problem of the rota."""
    places = sum(1 for p in (first, second) for e in (p.primary_id, p.backup_id)
                 if e is not None)
    free = [e for e in active if not is_absent(away.get(e, ()), first.starts_at,
                                               second.ends_at)]
    return len(free) >= places
