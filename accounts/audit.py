"""The audit log: every change made through the web interface or the user commands."""

from accounts.models import AuditEntry

COMMAND_LINE = "command line"


def record(actor, action, detail, now):
    """Write one entry: who (an e-mail or "command line"), what, when."""
    AuditEntry.create(actor=actor, action=action, detail=detail or "", at=now)


def recent_entries(limit=200, before_id=None):
    """The newest entries first."""
    query = AuditEntry.select().order_by(AuditEntry.id.desc()).limit(limit)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(query)
