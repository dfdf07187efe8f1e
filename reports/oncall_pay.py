"""On-call pay of a month from the tables: a team's duty periods, overrides and calls handed
to rota.pay (which says what each figure is), one line an engineer, and CSV for payroll.

Each team's month is its own, in its own settings (handover, zone, holidays): an engineer in
two teams has a line in each, for the duty held in that team."""

import csv
import io
from dataclasses import dataclass

from dutyline.spreadsheet import safe_cell
from hours.business_hours import OUT_OF_HOURS
from reports.call_figures import team_condition
from rota.models import FIRST_TEAM, DutyPeriod, Engineer, Override, TeamMember
from rota.models import team_id as id_of
from rota.pay import DutyPay, duty_pay, month_window
from telephony.models import Call

CSV_COLUMNS = ("month", "engineer", "hours_on_duty", "minutes_on_duty", "nights",
               "weekend_days", "public_holidays", "calls_out_of_hours", "timezone")


@dataclass(frozen=True)
class PayLine:
    name: str
    engineer_id: int
    pay: DutyPay

    @property
    def hours(self):
        """Hours on duty as H:MM."""
        return f"{self.pay.minutes // 60}:{self.pay.minutes % 60:02d}"


@dataclass(frozen=True)
class MonthPay:
    year: int
    month: int
    timezone: str
    starts_at: object  # the handover on the 1st (UTC)
    ends_at: object  # the handover on the next month's 1st
    lines: list

    @property
    def label(self):
        return f"{self.year:04d}-{self.month:02d}"

    def only(self, engineer_id):
        """The same month with one engineer's line alone (what an engineer sees)."""
        return MonthPay(self.year, self.month, self.timezone, self.starts_at, self.ends_at,
                        [line for line in self.lines if line.engineer_id == engineer_id])


def month_pay(year, month, settings, team=FIRST_TEAM):
    """MonthPay of `team` (a Team or its id; `settings` are its own): every active engineer of
    the team, and anyone else who held its duty or answered one of its out-of-hours calls in
    the month, by name."""
    team = id_of(team)
    start, end = month_window(year, month, settings)
    plan = (DutyPeriod
            .select(DutyPeriod.starts_at, DutyPeriod.ends_at, DutyPeriod.primary)
            .where(DutyPeriod.team == team, DutyPeriod.starts_at < end,
                   DutyPeriod.ends_at > start)
            .tuples())
    overrides = (Override
                 .select(Override.starts_at, Override.ends_at, Override.engineer)
                 .where(Override.team == team, Override.starts_at < end,
                        Override.ends_at > start)
                 .order_by(Override.created_at, Override.id)  # the one made last wins
                 .tuples())
    calls = (Call
             .select(Call.answered_by, Call.started_at)
             .where(team_condition(team), Call.started_at >= start, Call.started_at < end,
                    Call.answered_at.is_null(False), Call.answered_by.is_null(False),
                    Call.mode == OUT_OF_HOURS)
             .tuples())
    pay = duty_pay(year, month, settings, list(plan), list(overrides), list(calls))
    members = TeamMember.select(TeamMember.engineer).where(TeamMember.team == team)
    people = (Engineer
              .select(Engineer.id, Engineer.name)
              .where((Engineer.active & Engineer.id.in_(members))
                     | Engineer.id.in_(list(pay) or [0]))
              .tuples())
    lines = sorted((PayLine(name, engineer_id, pay.get(engineer_id) or DutyPay(engineer_id))
                    for engineer_id, name in people), key=lambda line: line.name.lower())
    return MonthPay(year, month, settings.timezone, start, end, lines)


def pay_rows(month):
    """One dict a line, as the CSV and `--json` give them."""
    return [{"month": month.label, "engineer": line.name,
             "hours_on_duty": round(line.pay.minutes / 60, 2),
             "minutes_on_duty": line.pay.minutes, "nights": len(line.pay.nights),
             "weekend_days": len(line.pay.weekend_days),
             "public_holidays": len(line.pay.holidays), "calls_out_of_hours": line.pay.calls,
             "timezone": month.timezone}
            for line in month.lines]


def pay_csv(month):
    """The month as CSV: a header, then a line an engineer; a name a spreadsheet would run
    as a formula is written as text (dutyline.spreadsheet), figures stay numbers."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in pay_rows(month):
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
    return out.getvalue()
