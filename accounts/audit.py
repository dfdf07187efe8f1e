"""The audit log: every change made through the web interface, the command line or an
engineer's text, with who made it."""

import getpass

from accounts.models import AuditEntry

def command_line_actor():
    """Who made a change on the command line: "cli:" and the operating-system user."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment or passwd
        user = "unknown"
    return f"cli:{user}"


def text_actor(engineer):
    """Who made a change by text: "text:" and the engineer the sending mobile belongs to."""
    return f"text:{engineer.name}"


def record(actor, action, detail, now):
    """Write one entry: who (an e-mail, "cli:<user>", "text:<engineer>"), what, when."""
    AuditEntry.create(actor=actor, action=action, detail=detail or "", at=now)


def recent_entries(limit=200, before_id=None):
    """The newest entries first."""
    query = AuditEntry.select().order_by(AuditEntry.id.desc()).limit(limit)
    if before_id:
        query = query.where(AuditEntry.id < before_id)
    return list(query)
