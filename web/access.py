"""Who may do what: managers everything, engineers their own presence and calendar links."""

from flask import abort, g

MANAGER = "manager"


def is_manager():
    return g.get("user") is not None and g.user.role == MANAGER


def manager_only():
    """Stop (403) unless a manager is signed in."""
    if not is_manager():
        abort(403)


def is_manager_of_every_team():
    """A manager not limited to some teams (accounts.models.User.team_ids)."""
    return is_manager() and g.user.team_ids() is None


def every_team_manager_only():
    """Stop (403) unless a manager of every team is signed in: the users and the audit log
    are the whole installation's, so a manager limited to some teams neither sees them nor
    adds, with a sign-in link, a user who would see every team."""
    if not is_manager_of_every_team():
        abort(403)


def may_change_engineer(engineer):
    """Managers change anyone; an engineer changes only themselves."""
    return is_manager() or (g.get("user") is not None and g.user.engineer_id == engineer.id)
