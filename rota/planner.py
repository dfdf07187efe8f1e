"""The fair month planner: a pure function from periods, engineers, absences and history
to who is on duty when.

Fairness works per role (primary, backup) and per kind of period (weeknight, weekend or
holiday). First each engineer gets a quota of the month's open periods of each kind, by
highest averages (D'Hondt) weighted by the share of those periods they can work, so the
engineers available the whole month end up within one of each other; the extra periods
go to whoever is behind on the running totals of earlier months. Then a depth-first
search places the quotas on periods, chronologically, never on an absent engineer and
never on two consecutive periods. When that cannot be done (too few engineers, too much
leave) a greedy pass fills what it can and says where it had to give way.
"""

from dataclasses import dataclass, field
from fractions import Fraction

PRIMARY = "primary"
BACKUP = "backup"
ROLES = (PRIMARY, BACKUP)
SEARCH_BUDGET = 20000  # nodes the search may visit before the greedy pass takes over


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
    """Working state shared by the quota, search and greedy steps."""

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
            for position, role in enumerate(self.roles):
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
    if len(month.ids) < needed:
        month.warnings.append(f"too few engineers ({len(month.ids)}) to avoid back-to-back "
                              f"periods{' with a backup' if given.with_backup else ''}")
    elif cells:
        quotas = _quotas(month, cells)
        if _search(month, cells, quotas):
            return Plan({i: list(row) for i, row in enumerate(month.grid)}, month.warnings)
        month.warnings.append("could not keep every engineer off consecutive periods within "
                              "the fair shares; filled greedily instead")
    _greedy(month)
    return Plan({i: list(row) for i, row in enumerate(month.grid)}, month.warnings)


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


def _search(month, cells, quotas):
    """Place the quotas on the open cells, depth first; True when every cell is filled."""
    left = {key: dict(share) for key, share in quotas.items()}
    # capacity[key][e][n]: cells n.. of that key on which e could still be placed
    keyed = [(position, month.kind(index)) for index, position in cells]
    capacity = {}
    for key in left:
        for e in month.ids:
            running, column = 0, [0] * (len(cells) + 1)
            for n in range(len(cells) - 1, -1, -1):
                index = cells[n][0]
                if keyed[n] == key and e not in month.given.absent.get(index, ()):
                    running += 1
                column[n] = running
            capacity.setdefault(key, {})[e] = column
    budget = [SEARCH_BUDGET]

    def candidates(n):
        index, position = cells[n]
        key = keyed[n]
        taken = set(month.grid[index]) | month.neighbours(index)
        found = [e for e in month.eligible(index) if left[key][e] > 0 and e not in taken]
        return sorted(found, key=lambda e: (
            -Fraction(left[key][e], capacity[key][e][n]),
            month.history(e, month.roles[position], key[1]), month.order[e]))

    def feasible(n, key):
        return all(left[key][e] <= capacity[key][e][n + 1] for e in month.ids)

    def place(n):
        if n == len(cells):
            return True
        index, position = cells[n]
        key = keyed[n]
        for e in candidates(n):
            budget[0] -= 1
            if budget[0] < 0:
                return False
            month.grid[index][position] = e
            left[key][e] -= 1
            if feasible(n, key) and place(n + 1):
                return True
            left[key][e] += 1
            month.grid[index][position] = None
        return False

    if place(0):
        return True
    for index, position in cells:
        month.grid[index][position] = None
    return False


def _greedy(month):
    """Fill the open cells one by one, fairest first, giving way only where it must."""
    for index, position in month.open_cells():
        role = month.roles[position]
        kind = month.kind(index)
        eligible = [e for e in month.eligible(index) if e not in month.grid[index]]
        day = month.given.slots[index].day
        if not eligible:
            month.warnings.append(f"nobody available as {role} on {day:%a %d %b %Y}")
            continue
        near = month.neighbours(index)
        chosen = min(eligible, key=lambda e: (
            e in near, month.month_count(e, position, kind),
            month.history(e, role, kind), month.history(e, role), month.order[e]))
        if chosen in near:
            month.warnings.append(f"{month.names[chosen]} is on consecutive periods around "
                                  f"{day:%a %d %b %Y}: too few engineers available")
        month.grid[index][position] = chosen
