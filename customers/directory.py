"""The customer directory: adding and importing customers, finding one by a caller's number."""

import csv
import io

from peewee import IntegrityError, fn

from customers.models import (ALL_HOURS, CORE, ENDS_AT_CALLBACK, REACTION_ENDS, Customer,
                              CustomerNumber)
from dutyline.db import database
from dutyline.phones import InvalidNumber, to_e164
from dutyline.plain_text import plain
from hours.durations import format_duration, parse_duration

DEFAULT_REACTION = "4h"


class CustomerError(ValueError):
    """A customer request that cannot be carried out; the message says why."""


def checked_reaction_end(value):
    """A contract's reaction end as typed ("call-back" or "acknowledgement"), or CustomerError."""
    text = (value or "").strip().lower()
    if text not in REACTION_ENDS:
        raise CustomerError(f"reaction end must be {' or '.join(REACTION_ENDS)}, not {value!r}")
    return text


def _checked(name, numbers, hours, reaction, region):
    name = plain((name or "").strip(), "customer name", CustomerError)
    if not name:
        raise CustomerError("a customer needs a name")
    if hours not in (CORE, ALL_HOURS):
        raise CustomerError(f"hours must be {CORE} or {ALL_HOURS}, not {hours!r}")
    try:
        minutes = parse_duration(reaction)
    except ValueError as exc:
        raise CustomerError(f"reaction: {exc}") from exc
    parsed = []
    for number in numbers:
        try:
            parsed.append(to_e164(number, region))
        except InvalidNumber as exc:
            raise CustomerError(str(exc)) from exc
    if not parsed:
        raise CustomerError(f"customer {name!r} needs at least one number")
    return name, sorted(set(parsed)), hours, minutes


def _conflicts(name, numbers):
    if Customer.select().where(fn.LOWER(Customer.name) == name.lower()).exists():
        raise CustomerError(f"a customer named {name!r} already exists")
    taken = (CustomerNumber
             .select(CustomerNumber, Customer)
             .join(Customer)
             .where(CustomerNumber.number.in_(numbers))
             .first())
    if taken:
        raise CustomerError(f"{taken.number} already belongs to {taken.customer.name}")


def add_customer(name, numbers, hours=CORE, reaction=DEFAULT_REACTION, *, region,
                 reaction_end=ENDS_AT_CALLBACK):
    """Add a customer with its numbers (E.164) and contract (its hours, its reaction time and
    what ends the reaction); nothing is written on error."""
    name, numbers, hours, minutes = _checked(name, numbers, hours, reaction, region)
    reaction_end = checked_reaction_end(reaction_end)
    with database.atomic():
        _conflicts(name, numbers)
        customer = Customer.create(name=name, hours=hours, reaction_minutes=minutes,
                                   reaction_end=reaction_end)
        for number in numbers:
            CustomerNumber.create(customer=customer, number=number)
    return customer


def import_customers(text, region):
    """Import CSV rows name,numbers,hours,reaction[,reaction end] (several numbers separated
    by ';'; the reaction end "call-back" when left out).

    All or nothing: any bad row raises CustomerError naming every bad line.
    """
    rows = list(csv.reader(io.StringIO(text)))
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == ["name", "numbers"]:
        rows = [None] + rows[1:]  # a header line keeps its line number
    errors, seen_names, seen_numbers, checked = [], set(), set(), []
    for line, row in enumerate(rows, start=1):
        if row is None or not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row] + ["", "", "", "", ""]
        numbers = [n.strip() for n in cells[1].split(";") if n.strip()]
        try:
            name, numbers, hours, minutes = _checked(cells[0], numbers, cells[2] or CORE,
                                                     cells[3] or DEFAULT_REACTION, region)
            reaction_end = checked_reaction_end(cells[4] or ENDS_AT_CALLBACK)
            if name.lower() in seen_names:
                raise CustomerError(f"{name!r} appears twice")
            if seen_numbers & set(numbers):
                raise CustomerError(f"{sorted(seen_numbers & set(numbers))[0]} appears twice")
            _conflicts(name, numbers)
        except CustomerError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        seen_names.add(name.lower())
        seen_numbers.update(numbers)
        checked.append((name, numbers, hours, minutes, reaction_end))
    if errors:
        raise CustomerError("; ".join(errors) + "; nothing imported")
    with database.atomic():
        for name, numbers, hours, minutes, reaction_end in checked:
            customer = Customer.create(name=name, hours=hours, reaction_minutes=minutes,
                                       reaction_end=reaction_end)
            for number in numbers:
                CustomerNumber.create(customer=customer, number=number)
    return len(checked)


def customer_for_number(number):
    """The customer a caller's E.164 number belongs to, or None."""
    if not number:
        return None
    return (Customer
            .select()
            .join(CustomerNumber)
            .where(CustomerNumber.number == number)
            .first())


def list_customers():
    """(customer, numbers) by name; a removed customer has no numbers and is left out."""
    customers = list(Customer.select().order_by(Customer.name))
    numbers = {}
    for row in CustomerNumber.select().order_by(CustomerNumber.number):
        numbers.setdefault(row.customer_id, []).append(row.number)
    return [(customer, numbers[customer.id]) for customer in customers if customer.id in numbers]


def _listed(name):
    """The customer of that name (any case) that still has numbers, or CustomerError."""
    customer = (Customer.select()
                .join(CustomerNumber)
                .where(fn.LOWER(Customer.name) == (name or "").strip().lower())
                .first())
    if customer is None:
        raise CustomerError(f"unknown customer: {name!r}")
    return customer


def set_reaction_end(name, reaction_end):
    """What ends the customer's reaction clock from now on, for the reports of every ticket,
    earlier ones included: (customer, True when that changed anything)."""
    reaction_end = checked_reaction_end(reaction_end)
    customer = _listed(name)
    changed = (Customer.update(reaction_end=reaction_end)
               .where(Customer.id == customer.id, Customer.reaction_end != reaction_end)
               .execute())
    customer.reaction_end = reaction_end
    return customer, bool(changed)


def remove_customer(name):
    """Remove a customer: its numbers no longer match callers. Returns the customer.

    A customer whose calls or tickets are on record keeps its row for them (their history
    still names it); one without any is deleted outright.
    """
    customer = _listed(name)
    with database.atomic():
        CustomerNumber.delete().where(CustomerNumber.customer == customer.id).execute()
        try:
            with database.atomic():  # a savepoint: calls and tickets that name it keep it
                Customer.delete().where(Customer.id == customer.id).execute()
        except IntegrityError:
            pass
    return customer


def customer_as_dict(customer, numbers):
    return {"name": customer.name, "numbers": numbers, "hours": customer.hours,
            "reaction": format_duration(customer.reaction_minutes),
            "reaction_end": customer.reaction_end}
