"""Who is on duty at an instant and who is next: what `rota who` shows."""

from dataclasses import dataclass
from datetime import timezone

from hours.business_hours import mode_at
from rota.cover import cover_at
from rota.models import FIRST_TEAM
from rota.overrides import override_at
from rota.periods import next_period_after, period_at


def _person(engineer):
    return {"name": engineer.name, "mobile": engineer.mobile} if engineer else None


def _period(period):
    if period is None:
        return None
    return {"starts_at": period.starts_at.isoformat(), "ends_at": period.ends_at.isoformat(),
            "primary": _person(period.primary), "backup": _person(period.backup)}


def describe_period(period, tz):
    start, end = period.starts_at.astimezone(tz), period.ends_at.astimezone(tz)
    return f"{start:%H:%M %a %d %b} to {end:%H:%M %a %d %b %Y}"


@dataclass(frozen=True)
class Duty:
    at: object
    mode: str
    current: object  # DutyPeriod or None
    upcoming: object
    override: object  # Override or None
    cover: tuple = ()  # engineers signed in as out-of-hours cover

    def as_dict(self):
        override = self.override
        return {"at": self.at.astimezone(timezone.utc).isoformat(), "mode": self.mode,
                "now": _period(self.current), "next": _period(self.upcoming),
                "override": None if override is None else {
                    "engineer": _person(override.engineer),
                    "starts_at": override.starts_at.isoformat(),
                    "ends_at": override.ends_at.isoformat()},
                "cover": [dict(_person(e), until=e.cover_until.isoformat()) for e in self.cover]}

    def lines(self, tz):
        """The text of `rota who`, times local to `tz`."""
        lines = [f"at {self.at.astimezone(tz):%a %d %b %Y %H:%M %Z}: "
                 f"{'in hours (hunting)' if self.mode == 'in_hours' else 'out of hours'}"]
        if self.override is not None:
            start = self.override.starts_at.astimezone(tz)
            end = self.override.ends_at.astimezone(tz)
            lines.append(f"covering now: {self.override.engineer.name} "
                         f"({start:%H:%M %a %d %b} to {end:%H:%M %a %d %b}, over the plan)")
        for label, period in (("on duty", self.current), ("next", self.upcoming)):
            if period is None:
                lines.append(f"{label}: nobody")
                continue
            text = f"{label}: {period.primary.name if period.primary else 'nobody'}"
            if period.backup:
                text += f", backup {period.backup.name}"
            lines.append(f"{text} ({describe_period(period, tz)})")
        for engineer in self.cover:
            until = engineer.cover_until.astimezone(tz)
            lines.append(f"cover: {engineer.name} until {until:%H:%M %a %d %b} (out of hours, "
                         "after the duty engineers)")
        return lines


def duty_at_instant(at, settings, team=FIRST_TEAM):
    """The team's mode (from its `settings`), its period in force and the next one, any
    override of its, and its engineers signed in as cover, at `at`."""
    return Duty(at=at, mode=mode_at(settings, at), current=period_at(at, team),
                upcoming=next_period_after(at, team), override=override_at(at, team),
                cover=tuple(cover_at(at, team)))
