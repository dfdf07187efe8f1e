"""The Customers page (managers): list, add, import a CSV, change what ends a contract's
reaction, remove."""

from flask import flash, g, redirect, render_template, request, url_for

from accounts import audit
from customers import directory
from customers.directory import CustomerError
from customers.models import ALL_HOURS, CORE, ENDS_AT_CALLBACK, REACTION_ENDS
from dutyline.phones import InvalidNumber
from web.access import manager_only
from web.blueprint import bp
from web.context import runtime

ERRORS = (CustomerError, InvalidNumber, ValueError)


def _page(status=200, error=None, form=None):
    manager_only()
    return render_template("customers.html", customers=directory.list_customers(),
                           hours=(CORE, ALL_HOURS), ends=REACTION_ENDS, error=error,
                           form=form or {},
                           default_reaction=directory.DEFAULT_REACTION), status


def _done(action, detail):
    audit.record(g.user.email, action, detail, g.now)
    flash(f"{action}: {detail}")
    return redirect(url_for("web.customers"))


@bp.get("/customers")
def customers():
    return _page()


@bp.post("/customers")
def customer_add():
    manager_only()
    form = request.form
    numbers = [n.strip() for n in form.get("numbers", "").replace("\n", ";").split(";")
               if n.strip()]
    try:
        added = directory.add_customer(form.get("name", ""), numbers, form.get("hours", CORE),
                                       form.get("reaction") or directory.DEFAULT_REACTION,
                                       region=runtime().settings.phone_region,
                                       reaction_end=form.get("reaction_end", ENDS_AT_CALLBACK))
    except ERRORS as exc:
        return _page(400, error=str(exc), form=form)
    return _done("customer added", added.name)


@bp.post("/customers/import")
def customer_import():
    manager_only()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(400, error="choose a CSV file to import")
    try:
        text = upload.read().decode("utf-8-sig")
        count = directory.import_customers(text, region=runtime().settings.phone_region)
    except UnicodeDecodeError:
        return _page(400, error="the file is not UTF-8 text")
    except ERRORS as exc:
        return _page(400, error=str(exc))
    return _done("customers imported", f"{count} from {upload.filename}")


@bp.post("/customers/<int:customer_id>/reaction-end")
def customer_reaction_end(customer_id):
    """The form says which end it wants: sent twice, the second finds it done."""
    manager_only()
    from customers.models import Customer

    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        return _page(404, error="no such customer")
    try:
        customer, changed = directory.set_reaction_end(customer.name,
                                                       request.form.get("reaction_end"))
    except ERRORS as exc:
        return _page(400, error=str(exc))
    if not changed:
        flash(f"already done: {customer.name}'s reaction ends at the {customer.reaction_end}")
        return redirect(url_for("web.customers"))
    return _done("customer changed", f"{customer.name}: reaction ends at the "
                                     f"{customer.reaction_end}")


@bp.route("/customers/<int:customer_id>/remove", methods=["GET", "POST"])
def customer_remove(customer_id):
    """Asks first: the confirmation page; the removal only when its form says so."""
    manager_only()
    from customers.models import Customer, CustomerNumber

    customer = Customer.get_or_none(Customer.id == customer_id)
    numbers = [row.number for row in CustomerNumber.select().where(
        CustomerNumber.customer == customer_id).order_by(CustomerNumber.number)]
    if customer is None or not numbers:  # never there, or removed (the confirmation twice)
        if customer is not None and request.method == "POST":
            flash(f"already done: {customer.name} was removed")
            return redirect(url_for("web.customers"))
        return _page(404, error="no such customer")
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("customer_remove.html", customer=customer, numbers=numbers)
    directory.remove_customer(customer.name)
    return _done("customer removed", customer.name)
