"""The web interface refuses names and notes with control characters: the page says why in
one line, keeps what was typed, and nothing changes."""

import io

import pytest

from calendars.models import FeedToken
from customers.models import Customer
from dutyline.db import database
from rota.models import Absence, Engineer


def _state():
    with database.connection_context():
        return ([(e.name, e.email) for e in Engineer.select().order_by(Engineer.id)],
                [c.name for c in Customer.select()], Absence.select().count(),
                FeedToken.select().count())


@pytest.mark.parametrize("path, data, field, message", [
    # header: form, what was typed, the field refused, the message (as the page escapes it)
    ("/engineers", {"name": "Asha\nPatel", "mobile": "07911 123403"}, "name",
     "engineer name &#39;Asha\\nPatel&#39; holds a control character (U+000A"),
    ("/engineers/{ben}", {"name": "Ben\r\nSmith", "mobile": "07911 123401"}, "name",
     "engineer name &#39;Ben\\r\\nSmith&#39; holds a control character (U+000D"),
    ("/engineers/{ben}", {"name": "Ben Smith", "mobile": "07911 123401",
                          "email": "ben@example.com\u202e"}, "email",
     "e-mail address &#39;ben@example.com\\u202e&#39; holds a control character (U+202E"),
    ("/customers", {"name": "Globex\u2028Corp", "numbers": "020 7946 0000", "hours": "core",
                    "reaction": "4h"}, "name", "customer name &#39;Globex\\u2028Corp&#39;"),
    ("/rota/absence", {"month": "2026-12", "engineer": "Ben Smith", "starts": "2026-12-07",
                       "ends": "2026-12-08", "reason": "leave\x7f"}, "reason",
     "absence reason &#39;leave\\x7f&#39;"),
])
def test_a_name_or_note_with_a_control_character_is_refused_and_kept(manager, ben, path, data,
                                                                      field, message):
    before = _state()
    response = manager.post(path.format(ben=ben.id), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert f'value="{data[field]}"' in page  # what was typed, to mend rather than type again
    assert _state() == before


def test_a_csv_import_with_a_control_character_imports_nothing_and_names_the_line(manager):
    upload = io.BytesIO("Initech,020 7946 0001\n\u202eGlobex,020 7946 0002\n".encode())
    response = manager.post("/customers/import", {"file": (upload, "customers.csv")},
                            content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "line 2: customer name &#39;\\u202eGlobex&#39; holds a control character" in page
    assert "nothing imported" in page
    assert _state()[1] == []


def test_a_manager_feed_label_with_a_control_character_makes_no_link(manager):
    response = manager.post("/subscribe/new", {"kind": "manager", "label": "board\nroom"},
                            follow_redirects=True)
    assert "label &#39;board\\nroom&#39; holds a control character" in response.get_data(
        as_text=True)
    assert _state()[3] == 0


def test_a_plain_accented_name_is_taken(manager):
    assert manager.post("/engineers", {"name": "Zoë O'Brien-Łukasz",
                                       "mobile": "07911 123405"}).status_code == 302
    assert manager.post("/customers", {"name": "Zoë O'Brien-Łukasz Ltd",
                                       "numbers": "020 7946 0005", "hours": "core",
                                       "reaction": "4h"}).status_code == 302
    engineers, customers, _absences, _tokens = _state()
    assert ("Zoë O'Brien-Łukasz", None) in engineers and customers == ["Zoë O'Brien-Łukasz Ltd"]
