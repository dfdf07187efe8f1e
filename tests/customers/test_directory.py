"""Customers and contracts: adding, importing all-or-nothing, matching callers."""

import json

import pytest
from click.testing import CliRunner

from console.main import main
from customers.directory import (CustomerError, add_customer, customer_for_number,
                                 import_customers)
from customers.models import Customer, CustomerNumber


def test_add_and_match(db):
    acme = add_customer("ACME Ltd", ["020 7946 0500", "+44 7911 123501"], "core", "4h",
                        region="GB")
    assert customer_for_number("+442079460500").name == "ACME Ltd"
    assert customer_for_number("+447911123501") == acme
    assert customer_for_number("+447911123502") is None
    assert customer_for_number("") is None
    assert acme.reaction_minutes == 240


@pytest.mark.parametrize("args, message", [
    # header: add_customer arguments -> error
    (("", ["020 7946 0500"]), "needs a name"),
    (("Beta", []), "at least one number"),
    (("Beta", ["not a number"]), "not a phone number"),
    (("Beta", ["020 7946 0500"], "weekends"), "hours must be"),
    (("Beta", ["020 7946 0500"], "core", "soon"), "reaction"),
    (("acme ltd", ["020 7946 0501"]), "already exists"),
    (("Beta", ["020 7946 0500"]), "already belongs to ACME Ltd"),
])
def test_add_refuses_bad_input_and_writes_nothing(db, args, message):
    add_customer("ACME Ltd", ["020 7946 0500"], region="GB")
    with pytest.raises(CustomerError, match=message):
        add_customer(*args, region="GB")
    assert Customer.select().count() == 1 and CustomerNumber.select().count() == 1


def test_import_all_rows(db):
    text = ("name,numbers,hours,reaction\n"
            "ACME Ltd,020 7946 0500;07911 123501,core,4h\n"
            "Globex,+44 161 496 0000,24x7,1h\n"
            "\n"
            "Initech,0113 496 0000,,\n")
    assert import_customers(text, "GB") == 3
    assert customer_for_number("+441614960000").hours == "24x7"
    initech = Customer.get(Customer.name == "Initech")
    assert (initech.hours, initech.reaction_minutes) == ("core", 240)


def test_import_with_bad_rows_names_the_lines_and_imports_nothing(db):
    text = ("name,numbers,hours,reaction\n"
            "ACME Ltd,020 7946 0500,core,4h\n"
            "Globex,12,24x7,1h\n"
            "Initech,0113 496 0000,sometimes,4h\n"
            "Hooli,020 7946 0500,core,4h\n")
    with pytest.raises(CustomerError) as error:
        import_customers(text, "GB")
    message = str(error.value)
    assert "line 3:" in message and "line 4:" in message and "line 5:" in message
    assert "line 2:" not in message
    assert Customer.select().count() == 0


def test_cli_import_and_list(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    monkeypatch.delenv("DUTYLINE_SETTINGS", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "init"]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("ACME Ltd,020 7946 0500,core,4h\nGlobex,nope,core,4h\n")
    result = runner.invoke(main, ["customer", "import", str(bad)])
    assert result.exit_code == 1 and "line 2:" in result.output
    assert json.loads(runner.invoke(main, ["customer", "list", "--json"]).output) == []
    good = tmp_path / "good.csv"
    good.write_text("ACME Ltd,020 7946 0500,core,4h\n")
    assert runner.invoke(main, ["customer", "import", str(good)]).exit_code == 0
    result = runner.invoke(main, ["customer", "add", "Globex", "--number", "0161 496 0000",
                                  "--number", "0161 496 0001", "--hours", "24x7",
                                  "--reaction", "2h"])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(main, ["customer", "list", "--json"]).output)
    assert listed == [
        {"name": "ACME Ltd", "numbers": ["+442079460500"], "hours": "core", "reaction": "4h"},
        {"name": "Globex", "numbers": ["+441614960000", "+441614960001"], "hours": "24x7",
         "reaction": "2h"}]
