"""Call statistics: service level, speed of answer, abandoned and missed calls, per day,
hour, engineer and customer. `report(span, group)` is the one entry point for figures."""

from reports.report import GROUPS, Report, ReportError, report
from reports.span import Span

__all__ = ["GROUPS", "Report", "ReportError", "Span", "report"]
