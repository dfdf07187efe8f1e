"""The fair month planner: a pure function from periods, engineers, absences and history
to who is on duty when.

Fairness works per role (primary, backup) and per kind of period (weeknight, weekend or
holiday). First each engineer gets a quota of the month's open periods of each kind, by
highest averages (D'Hondt) weighted by the share of those periods they can work, so the
engineers available the whole month end up within one of each other; the extra periods
go to whoever is behind on the running totals of earlier months. Then the quotas are
placed on periods chronologically, never on an absent engineer, and back-to-back periods
are swapped away between periods of the same kind (which keeps the shares exact). Where
some are left (too few engineers, too much leave) the plan says so.
"""

from dataclasses import dataclass, field
from fractions import Fraction

PRIMARY = "primary"
BACKUP = "backup"
ROLES = (PRIMARY, BACKUP)


@dataclass(frozen=True)
class PlanInput:
    """Everything the planner needs, loaded beforehand."""

    slots: tuple  # PeriodSlot, in order
    engineers: tuple  # (id, name) in rotation order
    fixed: dict = field(default_factory=dict)  # slot index -> (primary id, backup id), None = open
    absent: dict = field(default_factory=dict)  # slot index -> frozenset of absent engineer ids
    history: dict = field(default_factory=dict)  # (engineer id, role, kind) -> earlier count
    before: frozenset = frozenset()  # engineers on the period just before the month
    after: frozenset = frozenset()  # engineers on the period just after the month
    with_backup: bool = False


@dataclass
class Plan:
    """The month's assignment: slot index -> [primary id, backup id]; warnings in words."""

    assignments: dict
    warnings: list


class _Month:
    """Working state shared by the quota, placing and repair steps."""

    def __init__(self, given):
        self.given = given
        self.ids = [engineer_id for engineer_id, _ in given.engineers]
        self.names = dict(given.engineers)
        self.order = {engineer_id: n for n, engineer_id in enumerate(self.ids)}
        self.roles = ROLES if given.with_backup else (PRIMARY,)
        self.count = len(given.slots)
        self.grid = []
        for index in range(self.count):
            primary, backup = given.fixed.get(index, (None, None))
            self.grid.append([primary, backup])
        self.warnings = []
        self.totals = {}
        for (engineer_id, role, _), n in given.history.items():
            self.totals[(engineer_id, role)] = self.totals.get((engineer_id, role), 0) + n

    def eligible(self, index):
        absent = self.given.absent.get(index, frozenset())
        return [e for e in self.ids if e not in absent]

    def neighbours(self, index):
        """Engineers on the periods either side of slot `index`."""
        near = set()
        near.update(self.given.before if index == 0 else self.grid[index - 1])
        near.update(self.given.after if index == self.count - 1 else self.grid[index + 1])
        near.discard(None)
        return near

    def open_cells(self):
        """(slot index, role position) still to fill, chronologically, primary first."""
        cells = []
        for index in range(self.count):
            for position in range(len(self.roles)):
                if self.grid[index][position] is None:
                    cells.append((index, position))
        return cells

    def kind(self, index):
        return self.given.slots[index].kind

    def history(self, engineer_id, role, kind=None):
        if kind is not None:
            return self.given.history.get((engineer_id, role, kind), 0)
        return self.totals.get((engineer_id, role), 0)

    def month_count(self, engineer_id, position, kind):
        return sum(1 for index in range(self.count)
                   if self.grid[index][position] == engineer_id and self.kind(index) == kind)


def plan_month(given):
    """Fill every open slot of the month fairly; returns a Plan (pure, deterministic)."""
    month = _Month(given)
    cells = [cell for cell in month.open_cells() if _fillable(month, cell)]
    needed = 4 if given.with_backup else 2
    too_few = len(month.ids) < needed
    if too_few:
        month.warnings.append(f"too few engineers ({len(month.ids)}) to avoid back-to-back "
                              f"periods{' with a backup' if given.with_backup else ''}")
    for position, role in enumerate(month.roles):
        days = [month.given.slots[index].day for index, p in month.open_cells()
                if p == position and not _fillable(month, (index, p))]
        if days:
            month.warnings.append(f"nobody available as {role} on "
                                  + ", ".join(f"{d:%a %d %b}" for d in days))
    if cells:
        quotas = _quotas(month, cells)
        _place(month, cells, quotas)
        _rebalance(month, cells, quotas)
        _repair(month, cells)
    if not too_few:
        _warn_back_to_back(month)
    return Plan({i: list(row) for i, row in enumerate(month.grid)}, month.warnings)


def _warn_back_to_back(month):
    """One warning per engineer left on consecutive periods, naming the days."""
    days = {}
    for index in range(month.count):
        for e in month.grid[index]:
            if e is not None and e in _on(month, index - 1):
                days.setdefault(e, []).append(month.given.slots[index].day)
            if e is not None and index == month.count - 1 and e in month.given.after:
                days.setdefault(e, []).append(month.given.slots[index].day)
    for e in sorted(days, key=month.order.get):
        listed = ", ".join(f"{d:%a %d %b}" for d in days[e])
        month.warnings.append(f"{month.names[e]} is on back-to-back periods ({listed}): "
                              "nobody else could take them without breaking the fair shares")


def _fillable(month, cell):
    index, position = cell
    return len(month.eligible(index)) > position


def _quotas(month, cells):
    """{(position, kind): {engineer id: periods to give}} by weighted highest averages."""
    quotas = {}
    groups = {}
    for index, position in cells:
        groups.setdefault((position, month.kind(index)), []).append(index)
    for (position, kind), indices in sorted(groups.items()):
        role = month.roles[position]
        capacity = {e: sum(1 for i in indices if e not in month.given.absent.get(i, ()))
                    for e in month.ids}
        given = {e: month.month_count(e, position, kind) for e in month.ids}
        share = {e: 0 for e in month.ids}
        for _ in indices:
            candidates = [e for e in month.ids if share[e] < capacity[e]]
            if not candidates:
                break
            chosen = min(candidates, key=lambda e: (
                -Fraction(capacity[e], len(indices)) / (given[e] + share[e] + 1),
                month.history(e, role, kind), month.history(e, role), month.order[e]))
            share[chosen] += 1
        quotas[(position, kind)] = share
    return quotas


def _place(month, cells, quotas):
    """Put the quotas on the open cells chronologically, most pressed engineer first."""
    left = {key: dict(share) for key, share in quotas.items()}
    keyed = [(position, month.kind(index)) for index, position in cells]
    # capacity[key][e][n]: cells n.. of that key on which e could still be placed
    capacity = {key: {} for key in left}
    for key in left:
        for e in month.ids:
            running, column = 0, [0] * (len(cells) + 1)
            for n in range(len(cells) - 1, -1, -1):
                if keyed[n] == key and e not in month.given.absent.get(cells[n][0], ()):
                    running += 1
                column[n] = running
            capacity[key][e] = column
    for n, (index, position) in enumerate(cells):
        key = keyed[n]
        role = month.roles[position]
        near = month.neighbours(index)
        free = [e for e in month.eligible(index) if e not in month.grid[index]]
        if not free:  # the only one there already holds the period's other role
            month.warnings.append(f"nobody else available as {role} on "
                                  f"{month.given.slots[index].day:%a %d %b %Y}")
            continue
        owed = [e for e in free if left[key][e] > 0]
        if owed:
            chosen = min(owed, key=lambda e: (
                e in near, -Fraction(left[key][e], capacity[key][e][n]),
                month.history(e, role, key[1]), month.order[e]))
            left[key][chosen] -= 1
        else:  # the shares could not all be honoured (leave in the way): least loaded then
            chosen = min(free, key=lambda e: (
                e in near, month.month_count(e, position, key[1]),
                month.history(e, role, key[1]), month.order[e]))
        month.grid[index][position] = chosen


def _on(month, index):
    if index < 0:
        return month.given.before
    if index >= month.count:
        return month.given.after
    return month.grid[index]


def _clashes(month, people, indices):
    """How often any of `people` is on both periods of the pairs (k, k + 1), k in `indices`."""
    return sum(1 for k in indices for e in people
               if e in _on(month, k) and e in _on(month, k + 1))


def _rebalance(month, cells, quotas):
    """Hand cells from engineers above their share to those below it, where they can go."""
    for (position, kind), share in sorted(quotas.items()):
        indices = [i for i, p in cells if p == position and month.kind(i) == kind]
        for _ in range(len(indices)):
            held = {e: 0 for e in month.ids}
            for index in indices:
                if month.grid[index][position] is not None:
                    held[month.grid[index][position]] += 1
            under = [e for e in month.ids if held[e] < share[e]]
            moves = [(e in month.neighbours(index), month.order[e], index, e)
                     for e in under for index in indices
                     if month.grid[index][position] is not None
                     and held[month.grid[index][position]] > share[month.grid[index][position]]
                     and e not in month.given.absent.get(index, ()) and e not in month.grid[index]]
            if not moves:
                break
            _, _, index, e = min(moves)
            month.grid[index][position] = e


def _swap_cells(month, first, second, positions):
    for position in positions:
        month.grid[first][position], month.grid[second][position] = (
            month.grid[second][position], month.grid[first][position])


def _can_sit(month, index, positions):
    """True when the people in `positions` of slot `index` may be there (absences, no double)."""
    row = month.grid[index]
    people = [row[p] for p in positions]
    away = month.given.absent.get(index, ())
    return (not any(e in away for e in people if e is not None)
            and len([e for e in row if e is not None]) == len({e for e in row if e is not None}))


def _repair(month, cells):
    """Swap cells of the same role and kind (or whole periods of the same kind) between
    dates while that removes back-to-back periods: the shares stay exactly as they are."""
    open_cells = set(cells)
    whole = {i for i in range(month.count)
             if all((i, p) in open_cells for p in range(len(month.roles)))}
    for _ in range(50):
        improved = False
        for index in range(month.count):
            if not _clashes(month, [e for e in month.grid[index] if e is not None],
                            (index - 1, index)):
                continue
            moves = [(other, (position,)) for position in range(len(month.roles))
                     if (index, position) in open_cells
                     for other in range(month.count)
                     if (other, position) in open_cells and other != index]
            if index in whole:
                moves += [(other, tuple(range(len(month.roles)))) for other in sorted(whole)
                          if other != index]
            for other, positions in moves:
                if month.kind(other) != month.kind(index):
                    continue
                people = {e for k in (index, other) for e in month.grid[k] if e is not None}
                pairs = sorted({index - 1, index, other - 1, other})
                before = _clashes(month, people, pairs)
                _swap_cells(month, index, other, positions)
                if (_can_sit(month, index, positions) and _can_sit(month, other, positions)
                        and _clashes(month, people, pairs) < before):
                    improved = True
                    break
                _swap_cells(month, index, other, positions)
        if not improved:
            break

