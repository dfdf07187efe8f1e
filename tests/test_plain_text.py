"""Names and notes hold plain text: control, format and line-separator characters are
refused where they come in, with one line naming the field."""

from datetime import date, datetime, timezone

import pytest

from calendars.tokens import TokenError, issue_token
from customers.directory import CustomerError, add_customer, import_customers, list_customers
from dutyline.plain_text import NotPlainText, one_line, plain
from rota import engineers as engineer_service
from rota.absences import add_absence
from rota.engineers import RotaError
from rota.ical_import import absence_spans
from rota.models import Absence, Engineer

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, refused", [
    # header: text, the character refused (None: accepted)
    ("Zoë O'Brien-Łukasz", None),
    ("ACME Ltd. & Söhne (UK)", None),
    ("李小龙", None),
    ("Ben\u00a0Smith", None),            # a no-break space prints: kept
    ("", None),
    ("Ben\tSmith", "\t"),
    ("Globex\nCorp", "\n"),
    ("Globex\rCorp", "\r"),
    ("Globex\x00", "\x00"),
    ("Globex\x7f", "\x7f"),
    ("Globex\x85Corp", "\x85"),           # NEL, a C1 control
    ("\u202eGlobex\u202c", "\u202e"),     # right-to-left override
    ("Glo\u200bbex", "\u200b"),           # zero-width space
    ("\ufeffGlobex", "\ufeff"),           # byte order mark
    ("Globex\u2028Corp", "\u2028"),       # line separator
    ("Globex\u2029Corp", "\u2029"),       # paragraph separator
])
def test_plain_refuses_what_does_not_print_on_one_line(text, refused):
    if refused is None:
        assert plain(text, "name") == text
        return
    with pytest.raises(NotPlainText) as caught:
        plain(text, "customer name")
    message = str(caught.value)
    assert message.startswith("customer name ")
    assert f"U+{ord(refused):04X}" in message
    assert message.isprintable(), message  # one line, nothing the terminal acts on


def test_plain_raises_the_callers_own_error():
    with pytest.raises(RotaError, match="engineer name"):
        plain("Ben\nSmith", "engineer name", RotaError)


def test_one_line_flattens_text_from_someone_elses_calendar():
    assert one_line("  Holiday\n\tin\u2028France \u202eback\u202c\r\n") == "Holiday in France back"


@pytest.mark.parametrize("name", ["Globex\nCorp", "Globex\r\nCorp", "\u202eGlobex"])
def test_customer_names_with_control_characters_are_refused(db, name):
    with pytest.raises(CustomerError, match="customer name"):
        add_customer(name, ["020 7946 0000"], region="GB")
    assert list_customers() == []


def test_a_csv_import_with_one_bad_name_imports_nothing_and_names_the_line(db):
    text = "name,numbers\nInitech,020 7946 0001\n\"Globex\nCorp\",020 7946 0002\n"
    with pytest.raises(CustomerError) as caught:
        import_customers(text, region="GB")
    message = str(caught.value)
    assert message.startswith("line 3: customer name 'Globex\\nCorp'")
    assert message.endswith("nothing imported") and "\n" not in message
    assert list_customers() == []
    assert import_customers("Zoë O'Brien-Łukasz Ltd,020 7946 0003\n", region="GB") == 1


@pytest.mark.parametrize("field, value", [
    ("name", "Ben\nSmith"), ("name", "Ben\x7f"), ("name", "\u202eBen"),
    ("email", "ben@example.com\r\nBcc: eve@example.com"),
])
def test_engineer_names_and_addresses_with_control_characters_are_refused(db, field, value):
    values = {"name": "Ben Smith", "email": "ben@example.com", field: value}
    with pytest.raises(RotaError, match="holds a control character"):
        engineer_service.add_engineer(values["name"], "07911 123401", None, values["email"],
                                      region="GB", now=NOW)
    assert Engineer.select().count() == 0
    engineer_service.add_engineer("Zoë O'Brien", "07911 123401", region="GB", now=NOW)
    change = {"new_name": value} if field == "name" else {"email": value}
    with pytest.raises(RotaError, match="holds a control character"):
        engineer_service.update_engineer("Zoë O'Brien", NOW, region="GB", **change)
    stored = Engineer.get()
    assert (stored.name, stored.email) == ("Zoë O'Brien", None)


def test_absence_reasons_and_feed_labels_with_control_characters_are_refused(db, settings):
    engineer_service.add_engineer("Ben Smith", "07911 123401", region="GB", now=NOW)
    with pytest.raises(RotaError, match="absence reason"):
        add_absence("Ben Smith", date(2026, 12, 7), date(2026, 12, 8), settings, NOW,
                    "leave\nERROR forged")
    assert Absence.select().count() == 0
    with pytest.raises(TokenError, match="label"):
        issue_token(NOW, label="board\u2028room")


def test_imported_event_titles_are_made_one_line(settings):
    data = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:1\r\n"
            b"DTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261208\r\n"
            b"SUMMARY:Leave\\nin France\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    spans = absence_spans(data, settings.tz, NOW, datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert [reason for _start, _end, reason in spans] == ["Leave in France"]
