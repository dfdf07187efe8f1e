"""What a change puts wrong in the rota: one engineer on back-to-back periods, an override
of someone by themselves, an absent engineer covered by another absent one.

The changes are still made (a manager may mean them); these are the warnings printed beside.
"""

from rota.absences import absences_between, is_absent
from rota.models import DutyPeriod, Engineer


def _people(period):
    return {e for e in (period.primary_id, period.backup_id) if e is not None}


def neighbours(period):
    """(the stored period of the same team ending where `period` starts, the one starting
    where it ends)."""
    before = DutyPeriod.get_or_none(DutyPeriod.team == period.team_id,
                                    DutyPeriod.ends_at == period.starts_at)
    after = DutyPeriod.get_or_none(DutyPeriod.team == period.team_id,
                                   DutyPeriod.starts_at == period.ends_at)
    return before, after


def back_to_back_pairs(periods, before=None):
    """(engineer id, earlier, later) for consecutive periods sharing an engineer, in any role.

    `periods` are in order; `before` is the period ending where the first one starts.
    """
    pairs = []
    previous = before
    for period in periods:
        if previous is not None and previous.ends_at == period.starts_at:
            for engineer_id in sorted(_people(previous) & _people(period)):
                pairs.append((engineer_id, previous, period))
        previous = period
    return pairs


def _names():
    return {e.id: e.name for e in Engineer.select(Engineer.id, Engineer.name)}


def _day(period, tz):
    return f"{period.starts_at.astimezone(tz):%a %d %b}"


def _back_to_back_around(periods, tz, names):
    seen, warnings = set(), []
    for period in periods:
        before, after = neighbours(period)
        chain = [p for p in (before, period, after) if p is not None]
        for engineer_id, first, second in back_to_back_pairs(chain):
            key = (engineer_id, first.id, second.id)
            if key not in seen:
                seen.add(key)
                warnings.append(f"{names[engineer_id]} is now on back-to-back periods "
                                f"({_day(first, tz)}, {_day(second, tz)})")
    return warnings


def swap_warnings(first, second, tz):
    """Warnings after a swap of the stored periods `first` and `second` (each now holds the
    other's engineers)."""
    names = _names()
    warnings = _back_to_back_around((first, second), tz, names)
    for period, other in ((first, second), (second, first)):
        away = absences_between(period.starts_at, period.ends_at)
        old_primary = other.primary_id
        for role, engineer_id in (("primary", period.primary_id), ("backup", period.backup_id)):
            if engineer_id is None or not is_absent(away.get(engineer_id, ()),
                                                    period.starts_at, period.ends_at):
                continue
            if role == "primary" and old_primary is not None and old_primary != engineer_id \
                    and is_absent(away.get(old_primary, ()), period.starts_at, period.ends_at):
                warnings.append(f"{names[engineer_id]} now covers {_day(period, tz)} for "
                                f"{names[old_primary]}, who is absent, but is absent then too")
            else:
                warnings.append(f"{names[engineer_id]} is now {role} on {_day(period, tz)} "
                                "but absent then")
    return warnings


def override_warnings(override, tz):
    """Warnings after adding `override`: self-override, absent cover, back-to-back."""
    names = _names()
    engineer_id = override.engineer_id
    touched = list(DutyPeriod
                   .select()
                   .where(DutyPeriod.team == override.team_id,
                          DutyPeriod.starts_at < override.ends_at,
                          DutyPeriod.ends_at > override.starts_at)
                   .order_by(DutyPeriod.starts_at))
    warnings = []
    if touched and all(p.primary_id == engineer_id for p in touched) and (
            touched[0].starts_at <= override.starts_at
            and touched[-1].ends_at >= override.ends_at):
        warnings.append(f"{names[engineer_id]} is already on duty then: the override "
                        "changes nothing")
    away = absences_between(override.starts_at, override.ends_at)
    if is_absent(away.get(engineer_id, ()), override.starts_at, override.ends_at):
        covered = sorted({p.primary_id for p in touched
                          if p.primary_id not in (None, engineer_id)
                          and is_absent(away.get(p.primary_id, ()),
                                        max(p.starts_at, override.starts_at),
                                        min(p.ends_at, override.ends_at))})
        if covered:
            others = ", ".join(names[e] for e in covered)
            warnings.append(f"{names[engineer_id]} covers {others}, who is absent, but is "
                            "absent then too")
        else:
            warnings.append(f"{names[engineer_id]} is absent during the override")
    if touched:
        before, _ = neighbours(touched[0])
        _, after = neighbours(touched[-1])
        for neighbour in (before, after):
            if neighbour is not None and engineer_id in _people(neighbour):
                first, second = ((neighbour, touched[0]) if neighbour is before
                                 else (touched[-1], neighbour))
                warnings.append(f"{names[engineer_id]} is now on back-to-back periods "
                                f"({_day(first, tz)}, {_day(second, tz)})")
    return warnings
