"""The wallboard in a real browser (headless Chromium) on a 1920x1080 screen: opened from the
link a manager made, it shows a caller the moment Twilio's signed webhook logs the call,
without a reload, fits the screen without scrollbars, sets no cookie, breaks no rule of the
Content-Security-Policy, and says the link no longer works once it is revoked.

With DUTYLINE_SCREENSHOTS=1 it also saves the screen as docs/web-wallboard.png.
"""

import os
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait
from twilio.request_validator import RequestValidator

from customers.models import Customer, CustomerNumber
from dutyline.db import database
from rota.models import Engineer
from telephony.models import Call, Leg
from tests.conftest import AUTH_TOKEN
from tests.web.test_browser import (BASE, CSP_WATCH, add_user, browsers,  # noqa: F401
                                    click_and_load, live)
from webhooks.runtime import utc_now

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "web-wallboard.png"


@pytest.fixture
def app_config():
    # the real clock, as the browser test of the other pages (test_browser.py)
    return {"SECRET_KEY": "browser-test", "PUBLIC_URL": BASE, "CLOCK": utc_now}


def ring(sid, caller):
    """A call arriving, as Twilio posts it: signed with the account's token."""
    url = f"{BASE}/voice/incoming"
    form = {"CallSid": sid, "From": caller, "To": "+442071838750", "CallStatus": "ringing"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, form)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                     headers={"X-Twilio-Signature": signature})
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
        assert b"<Response>" in answer.read()


def earlier_today():
    """Calls of today for a board that looks lived in: answered ones (Asha still on the
    last), a message from a customer and two missed calls from one number; Tobi signed in."""
    now = utc_now()
    with database.connection_context():
        globex = Customer.create(name="Globex")
        CustomerNumber.create(customer=globex, number="+447700900555")
        asha = Engineer.get(Engineer.name == "Asha Patel")
        Engineer.update(signed_in=True).where(Engineer.name.in_(["Asha Patel", "Tobi Jones"])) \
            .execute()
        for n, wait in enumerate((4, 6, 3, 9, 5, 7, 11, 8, 19, 6, 5, 4)):
            started = now - timedelta(minutes=40 - 3 * n)
            call = Call.create(sid=f"CA{n:032d}", from_number=f"+4477009001{n:02d}",
                               started_at=started, mode="in_hours", status="answered",
                               answered_by=asha, answered_at=started + timedelta(seconds=wait),
                               ringing_at=started, ended_at=started + timedelta(minutes=2))
        Call.update(ended_at=None).where(Call.id == call.id).execute()
        Leg.create(call=call, step=0, engineer=asha, number=asha.mobile, role="hunt",
                   started_at=call.started_at, picked_up_at=call.answered_at,
                   accepted_at=call.answered_at, outcome="accepted")
        for n, (number, minutes, fields) in enumerate((
                ("+447700900555", 30, {"status": "voicemail", "voicemail_at": now}),
                ("+447700900321", 20, {"status": "missed"}),
                ("+447700900321", 10, {"status": "missed"}))):
            started = now - timedelta(minutes=minutes)
            Call.create(sid=f"CB{n:032d}", from_number=number, started_at=started,
                        customer=globex if number.endswith("555") else None, mode="in_hours",
                        ringing_at=started, ended_at=started + timedelta(seconds=45), **fields)


def fits(driver):
    return driver.execute_script(
        "var e = document.documentElement; return [e.scrollWidth <= window.innerWidth, "
        "e.scrollHeight <= window.innerHeight, window.innerWidth, window.innerHeight]")


def waiting(driver):
    return driver.find_element(By.ID, "waiting-count").text


def test_the_wallboard_shows_a_ringing_call_live_and_fits_a_tv(live, browsers):  # noqa: F811
    link = add_user("mia@example.com", "--role", "manager")
    desk = browsers(1280, 900)
    desk.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH})
    desk.get(link)
    click_and_load(desk, desk.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    for page in ("/wallboard", "/rota/pay"):
        desk.get(BASE + page)
        assert desk.find_element(By.TAG_NAME, "h1").text
        assert desk.execute_script("return window.cspViolations") == [], page
    desk.get(f"{BASE}/wallboard")
    desk.find_element(By.ID, "f-label").send_keys("Office TV")
    click_and_load(desk, desk.find_element(By.XPATH, "//button[text()='Make a wallboard link']"))
    board_link = desk.find_element(By.ID, "board-link").get_attribute("value")
    assert board_link.startswith(f"{BASE}/wallboard/")

    earlier_today()
    tv = browsers(1920, 1080)
    tv.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    tv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH})
    tv.get(board_link)
    assert waiting(tv) == "0"
    assert tv.get_cookies() == []
    assert fits(tv) == [True, True, 1920, 1080]
    tv.execute_script("window.notReloaded = true")

    ring("CA" + "7" * 32, "+447700900777")
    WebDriverWait(tv, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: waiting(d) == "1")
    assert tv.execute_script("return window.notReloaded") is True  # live, not reloaded
    caller = tv.find_element(By.CSS_SELECTOR, "#waiting-list li").text
    assert caller.startswith("+447700900777")
    assert "Call-backs due" in tv.find_element(By.ID, "w-callbacks").text
    assert fits(tv) == [True, True, 1920, 1080]
    assert tv.execute_script("return window.cspViolations") == []
    assert tv.get_cookies() == []
    figure = tv.find_element(By.ID, "waiting-count")
    assert float(figure.value_of_css_property("font-size").removesuffix("px")) >= 100
    if os.environ.get("DUTYLINE_SCREENSHOTS"):
        tv.save_screenshot(str(SCREENSHOT))

    # a busy hour still fits: the lists stop at what the screen holds and say how many more
    with database.connection_context():
        for n in range(12):
            Call.create(sid=f"CC{n:032d}", from_number=f"+4477009008{n:02d}",
                        started_at=utc_now() - timedelta(seconds=n), mode="in_hours")
    WebDriverWait(tv, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: waiting(d) == "13")
    assert "+ 6 more" in tv.find_element(By.ID, "w-callers").find_element(By.XPATH, "..").text
    assert fits(tv) == [True, True, 1920, 1080]

    # revoked on the managers' page: the screen's next refresh says the link no longer works
    click_and_load(desk, desk.find_element(By.CSS_SELECTOR,
                                           "button[aria-label='Revoke the link of Office TV']"))
    WebDriverWait(tv, 15).until(
        lambda d: "does not work" in d.find_element(By.TAG_NAME, "h1").text)
    assert tv.find_elements(By.ID, "board") == []
    # the reloaded page answered 404, as it should: the only entry in the console
    logged = [entry["message"] for entry in tv.get_log("browser") if entry["level"] == "SEVERE"]
    assert all("404" in message for message in logged) and len(logged) <= 1, logged
