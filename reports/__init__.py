"""Call statistics: service level, speed of answer, abandoned and missed calls, per day,
hour, engineer and customer. `report(span, group)` is the one entry point for figures."""

from reports.limits import Budget, ReportError, StillCounting
from reports.report import GROUPS, Report, report
from reports.span import Span

__all__ = ["GROUPS", "Budget", "Report", "ReportError", "Span", "StillCounting", "report"]
