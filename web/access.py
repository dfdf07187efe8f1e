"""Who may do what: managers everything, engineers their own presence and calendar links."""

from flask import abort, g

MANAGER = "manager"


def is_manager():
    return g.get("user") is not None and g.user.role == MANAGER


def manager_only():
    """Stop (403) unless a manager is signed in."""
    if not is_manager():
        abort(403)


def may_change_engineer(engineer):
    """Managers change anyone; an engineer changes only themselves."""
    return is_manager() or (g.get("user") is not None and g.user.engineer_id == engineer.id)
