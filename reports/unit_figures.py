"""A kept unit's figures as compact JSON, and kept figures added up into tallies.

A column holds {mode: text}, each text a JSON list of entries [key, calls, tickets, open,
legs]: the tallies' numbers in the order of their fields (the waits' histogram last among
the calls', flattened to second, count, second, count …) and the deadlines of the tickets
not yet acknowledged. A report decodes only the text of the mode it shows. A month's
columns are its days' columns added up (`merge`), its total kept day by day.
"""

import json
from dataclasses import fields
from datetime import datetime
from operator import add

from reports.measures import CallTally, LegTally, TicketTally

CALL_FIELDS = tuple(f.name for f in fields(CallTally) if f.name != "waits")
TICKET_FIELDS = tuple(f.name for f in fields(TicketTally))
LEG_FIELDS = tuple(f.name for f in fields(LegTally))
LATE = TICKET_FIELDS.index("past_deadline")
COMPACT = {"separators": (",", ":")}


def new_entry():
    return {"c": CallTally(), "t": TicketTally(), "o": [], "l": LegTally()}


def encode(modes):
    """{mode: {key: entry}} as a column's JSON."""
    return json.dumps({mode: json.dumps([_entry(key, found) for key, found in keyed.items()],
                                        **COMPACT)
                       for mode, keyed in modes.items()}, **COMPACT)


def _entry(key, found):
    calls = [getattr(found["c"], name) for name in CALL_FIELDS]
    calls.append([number for pair in sorted(found["c"].waits.items()) for number in pair])
    return [key, calls, [getattr(found["t"], name) for name in TICKET_FIELDS], found["o"],
            [getattr(found["l"], name) for name in LEG_FIELDS]]


def entries(text, mode):
    """The entries of one mode of a column's JSON."""
    inner = json.loads(text).get(mode)
    return json.loads(inner) if inner else []


def merge(columns, keys=None):
    """The column JSON of several units' columns of one grouping added up, entry by entry
    of the same key; with `keys` (one a column), each column's entries are added up under
    its key instead (a month's total, kept by day)."""
    modes = {}
    for index, text in enumerate(columns):
        for mode, inner in json.loads(text).items():
            keyed = modes.setdefault(mode, {})
            for key, calls, tickets, opened, legs in json.loads(inner):
                key = key if keys is None else keys[index]
                found = keyed.get(key)
                if found is None:
                    keyed[key] = [key, calls, tickets, opened, legs]
                    continue
                waits = dict(zip(found[1][-1][::2], found[1][-1][1::2]))
                for second, number in zip(calls[-1][::2], calls[-1][1::2]):
                    waits[second] = waits.get(second, 0) + number
                found[1] = [*map(add, found[1][:-1], calls[:-1]),
                            [number for pair in sorted(waits.items()) for number in pair]]
                found[2] = list(map(add, found[2], tickets))
                found[3] = found[3] + opened
                found[4] = list(map(add, found[4], legs))
    return json.dumps({mode: json.dumps(list(keyed.values()), **COMPACT)
                       for mode, keyed in modes.items()}, **COMPACT)


class Sums:
    """Kept entries added up as plain numbers, then made tallies."""

    def __init__(self):
        self.calls, self.waits, self.tickets, self.legs = {}, {}, {}, {}

    def add(self, key, calls, tickets, opened, legs, as_of):
        for into, values in ((self.calls, calls[:-1]), (self.tickets, tickets),
                             (self.legs, legs)):
            found = into.get(key)
            into[key] = values if found is None else list(map(add, found, values))
        waits = self.waits.setdefault(key, {})
        flat = calls[-1]
        for second, number in zip(flat[::2], flat[1::2]):
            waits[second] = waits.get(second, 0) + number
        late = sum(1 for deadline in opened if datetime.fromisoformat(deadline) < as_of)
        if late:
            self.tickets[key][LATE] += late

    def tallies(self):
        calls = {}
        for key, values in self.calls.items():
            if values[0]:  # calls
                calls[key] = CallTally(**dict(zip(CALL_FIELDS, values)), waits=self.waits[key])
        tickets = {key: TicketTally(**dict(zip(TICKET_FIELDS, values)))
                   for key, values in self.tickets.items() if values[0]}
        legs = {key: LegTally(**dict(zip(LEG_FIELDS, values)))
                for key, values in self.legs.items() if values[0]}
        return calls, tickets, legs
