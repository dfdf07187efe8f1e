"""The Engineers page: managers change the team; engineers only their own presence."""

from dutyline.db import database
from rota.models import Engineer


def stored(name):
    with database.connection_context():
        return Engineer.get(Engineer.name == name)


def test_an_engineer_signs_themselves_in_and_out_and_changes_where_they_are(engineer, ben):
    response = engineer.post(f"/engineers/{ben.id}/presence", {"signed_in": "1", "back": "/now"})
    assert response.status_code == 302 and response.headers["Location"] == "/now"
    assert stored("Ben Smith").signed_in
    engineer.post(f"/engineers/{ben.id}/presence", {"location": "remote"})
    assert stored("Ben Smith").location == "remote"
    page = engineer.get("/now").get_data(as_text=True)
    assert "Sign me out" in page


def test_an_engineer_cannot_change_another_engineer(engineer, make_engineer):
    tobi = make_engineer("Tobi Jones", signed_in=True, location="office")
    for path, data in [(f"/engineers/{tobi.id}/presence", {"signed_in": "0"}),
                       (f"/engineers/{tobi.id}/presence", {"location": "remote"}),
                       (f"/engineers/{tobi.id}", {"name": "Tobi J", "mobile": "07911 123499"}),
                       (f"/engineers/{tobi.id}/remove", {}),
                       ("/engineers", {"name": "Eve", "mobile": "07911 123488"})]:
        assert engineer.post(path, data).status_code == 403, path
    after = stored("Tobi Jones")
    assert after.signed_in and after.location == "office" and after.active
    with database.connection_context():
        assert Engineer.select().count() == 2


def test_manager_adds_edits_signs_out_and_removes_engineers(manager, make_engineer):
    tobi = make_engineer("Tobi Jones", signed_in=True)
    refused = manager.post("/engineers", {"name": "Asha Patel", "mobile": "12345"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "not a valid phone number" in page
    assert 'value="Asha Patel"' in page and 'value="12345"' in page
    assert manager.post("/engineers", {"name": "Asha Patel",
                                       "mobile": "07911 123403"}).status_code == 302
    asha = stored("Asha Patel")
    assert asha.mobile == "+447911123403"
    assert manager.post(f"/engineers/{asha.id}", {"name": "Asha Patel-Khan",
                                                  "mobile": "07911 123404", "desk": "",
                                                  "email": "asha@example.com"}).status_code == 302
    assert stored("Asha Patel-Khan").email == "asha@example.com"
    assert manager.post(f"/engineers/{tobi.id}/presence", {"signed_in": "0"}).status_code == 302
    assert not stored("Tobi Jones").signed_in
    assert manager.post(f"/engineers/{tobi.id}/remove", {"confirm": "yes"}).status_code == 302
    assert not stored("Tobi Jones").active
    page = manager.get("/engineers").get_data(as_text=True)
    assert "engineer removed: Tobi Jones" in page
    assert "Tobi Jones" not in manager.get("/engineers").get_data(as_text=True)
    assert manager.get(f"/engineers/{tobi.id}/remove").status_code == 404


def test_removing_an_engineer_asks_first(manager, make_engineer, settings):
    from datetime import date

    from accounts.models import AuditEntry
    from rota.periods import assign_period
    from tests.conftest import ADDED_AT

    tobi = make_engineer("Tobi Jones")
    with database.connection_context():
        for day in (date(2026, 12, 3), date(2026, 12, 4)):
            assign_period(day, tobi, None, settings, now=ADDED_AT)
    link = f'href="/engineers/{tobi.id}/remove">Remove Tobi Jones…</a>'
    assert link in manager.get("/engineers").get_data(as_text=True)
    for asked in (manager.get(f"/engineers/{tobi.id}/remove"),
                  manager.post(f"/engineers/{tobi.id}/remove")):  # a form without the answer
        page = asked.get_data(as_text=True)
        assert asked.status_code == 200 and "<h1>Remove Tobi Jones?</h1>" in page
        assert "2 coming duty periods will lose them" in page
        assert 'name="confirm" value="yes"' in page and "Yes, remove Tobi Jones" in page
    assert stored("Tobi Jones").active
    assert manager.post(f"/engineers/{tobi.id}/remove", {"confirm": "yes"}).status_code == 302
    assert not stored("Tobi Jones").active
    again = manager.post(f"/engineers/{tobi.id}/remove", {"confirm": "yes"})  # sent twice
    assert "already done: Tobi Jones was removed" in manager.get(
        again.headers["Location"]).get_data(as_text=True)
    with database.connection_context():
        assert [e.action for e in AuditEntry.select().where(
            AuditEntry.action == "engineer removed")] == ["engineer removed"]


def test_manager_sets_a_desk_phone_to_connect_on_pick_up(manager, make_engineer):
    tobi = make_engineer("Tobi Jones", signed_in=True)
    form = {"name": "Tobi Jones", "mobile": tobi.mobile, "email": ""}
    refused = manager.post(f"/engineers/{tobi.id}", {**form, "desk": "", "desk_connects": "1"})
    assert refused.status_code == 400 and "has no desk number" in refused.get_data(as_text=True)
    assert not stored("Tobi Jones").desk_connects
    assert manager.post(f"/engineers/{tobi.id}", {**form, "desk": "020 7946 0101",
                                                  "desk_connects": "1"}).status_code == 302
    assert stored("Tobi Jones").desk_connects
    assert "+442079460101</a> (connects on pick-up)" in manager.get("/engineers").get_data(
        as_text=True)
    manager.post(f"/engineers/{tobi.id}", {**form, "desk": "020 7946 0101"})  # unticked
    assert not stored("Tobi Jones").desk_connects
