"""Customers and contracts: adding, importing all-or-nothing, matching callers."""

import json

import pytest
from click.testing import CliRunner

from console.main import main
from customers.directory import (CustomerError, add_customer, customer_for_number,
                                 import_customers, set_reaction_end)
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
                                  "--reaction", "2h", "--reaction-end", "acknowledgement"])
    assert result.exit_code == 0, result.output
    assert "reaction 2h to the acknowledgement" in result.output
    listed = json.loads(runner.invoke(main, ["customer", "list", "--json"]).output)
    assert listed == [
        {"name": "ACME Ltd", "numbers": ["+442079460500"], "hours": "core", "reaction": "4h",
         "reaction_end": "call-back"},
        {"name": "Globex", "numbers": ["+441614960000", "+441614960001"], "hours": "24x7",
         "reaction": "2h", "reaction_end": "acknowledgement"}]
    table = runner.invoke(main, ["customer", "list"]).output
    assert "ends at" in table and "acknowledgement" in table


def test_cli_changes_what_ends_the_reaction(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    monkeypatch.delenv("DUTYLINE_SETTINGS", raising=False)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "init"]).exit_code == 0
    runner.invoke(main, ["customer", "add", "ACME Ltd", "--number", "020 7946 0500"])

    def ends():
        return [c["reaction_end"] for c in json.loads(
            runner.invoke(main, ["customer", "list", "--json"]).output)]

    changed = runner.invoke(main, ["customer", "reaction-end", "acme ltd", "acknowledgement"])
    assert changed.exit_code == 0, changed.output
    assert "ACME Ltd: the reaction now ends at the acknowledgement" in changed.output
    assert ends() == ["acknowledgement"]
    again = runner.invoke(main, ["customer", "reaction-end", "ACME Ltd", "acknowledgement"])
    assert "already ends at the acknowledgement" in again.output
    bad = runner.invoke(main, ["customer", "reaction-end", "ACME Ltd", "answer"])
    assert bad.exit_code == 2 and "'answer' is not one of" in bad.output
    unknown = runner.invoke(main, ["customer", "reaction-end", "Hooli", "call-back"])
    assert unknown.exit_code == 1 and "unknown customer: 'Hooli'" in unknown.output
    assert ends() == ["acknowledgement"]


def test_the_reaction_end_is_the_call_back_unless_a_contract_says_otherwise(db):
    acme = add_customer("ACME Ltd", ["020 7946 0500"], region="GB")
    assert acme.reaction_end == "call-back"
    text = ("name,numbers,hours,reaction,reaction end\n"
            "Globex,+44 161 496 0000,24x7,1h,acknowledgement\n"
            "Initech,0113 496 0000,core,4h\n")
    assert import_customers(text, "GB") == 2
    assert {c.name: c.reaction_end for c in Customer.select()} == {
        "ACME Ltd": "call-back", "Globex": "acknowledgement", "Initech": "call-back"}
    with pytest.raises(CustomerError, match="reaction end must be call-back or acknowledgement"):
        import_customers("Hooli,020 7946 0999,core,4h,whenever\n", "GB")
    with pytest.raises(CustomerError, match="reaction end must be"):
        add_customer("Hooli", ["020 7946 0999"], region="GB", reaction_end="later")
    assert Customer.select().count() == 3
    customer, changed = set_reaction_end("acme ltd", "acknowledgement")
    assert (customer.name, changed) == ("ACME Ltd", True)
    assert set_reaction_end("ACME Ltd", "acknowledgement")[1] is False
    with pytest.raises(CustomerError, match="reaction end must be"):
        set_reaction_end("ACME Ltd", "")
    assert Customer.get(Customer.name == "ACME Ltd").reaction_end == "acknowledgement"
