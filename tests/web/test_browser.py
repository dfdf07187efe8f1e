"""A real browser (Debian's headless Chromium through Selenium) against a live server.

A manager signs in with the link `dutyline user add` printed, sees who is on duty, swaps two
days and sees the grid and the rota feed change, and signs an engineer out; an engineer on a
phone-sized window signs in to hunting and copies their calendar link. No console errors.
Every page opens under the Content-Security-Policy with no violation, the Now page still
refreshes itself, and Back after signing out shows the sign-in page, not a stored Now page.
"""

import re
import socket
import threading
import urllib.request
from datetime import timedelta

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from console.main import main
from dutyline.db import database
from rota import engineers as engineer_service
from rota import periods
from rota.generate import generate_month
from rota.models import Engineer
from telephony.models import Call, Leg
from voicemail.models import Ticket
from webhooks.runtime import runtime, utc_now

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = _free_port()
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def app_config():
    # the real clock: the links `dutyline user add` prints are stamped with it
    return {"SECRET_KEY": "browser-test", "PUBLIC_URL": BASE, "CLOCK": utc_now}


@pytest.fixture
def live(app, make_engineer, database_url, monkeypatch, tmp_path):
    from werkzeug.serving import make_server

    for name in ("Ben Smith", "Tobi Jones", "Asha Patel"):
        make_engineer(name, signed_in=name == "Ben Smith", location="office")
    now = utc_now()
    with app.app_context(), database.connection_context():
        settings = runtime().settings
        here = now.astimezone(settings.tz)
        for year, month in ((here.year, here.month),
                            ((here.year + here.month // 12), here.month % 12 + 1)):
            generate_month(year, month, settings, now, include_started=True)
        # the day before the month too, so the night that began yesterday has a duty engineer
        yesterday = (here - timedelta(days=1)).date()
        if periods.period_at(now) is None:
            periods.assign_period(yesterday, engineer_service.find_engineer("Asha Patel"), None,
                                  settings, now=now)
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.chdir(tmp_path)
    for key, value in {"DATABASE_URL": database_url, "PUBLIC_URL": BASE,
                       "TWILIO_AUTH_TOKEN": "t"}.items():
        monkeypatch.setenv(key, value)
    yield app
    server.shutdown()


def add_user(*args):
    result = CliRunner().invoke(main, ["user", "add", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return re.search(rf"{re.escape(BASE)}/signin/link/\S+", result.output).group(0)


@pytest.fixture
def browsers(tmp_path):
    started = []

    def start(width, height):
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless", "--no-sandbox", "--disable-gpu",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", "--no-first-run",
                         f"--user-data-dir={tmp_path / f'profile{len(started)}'}",
                         f"--window-size={width},{height}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        driver.implicitly_wait(5)
        started.append(driver)
        return driver

    yield start
    for driver in started:
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        driver.quit()
        assert errors == [], errors


def click_and_load(driver, element):
    """Click what submits a form or follows a link, and wait for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    # asked in the middle of the navigation, Chromium may answer with an inspector error
    # instead of "stale": ask again
    WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,)).until(
        expected_conditions.staleness_of(page))


def text_becomes(driver, element_id, text):
    """Wait until the element (which the live refresh may replace) shows `text`."""
    WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, element_id).text == text)


def cell_primary(driver, day):
    return driver.find_element(By.CSS_SELECTOR, f'[data-day="{day}"] .primary').text


def feed_summary(url, starts_at):
    """The SUMMARY of the rota feed's event starting at `starts_at` (UTC)."""
    with urllib.request.urlopen(url) as response:
        calendar = Calendar.from_ical(response.read())
    for event in calendar.walk("VEVENT"):
        if event.decoded("DTSTART") == starts_at and str(event.get("STATUS", "")) != "CANCELLED":
            if str(event["SUMMARY"]).startswith("On duty"):
                return str(event["SUMMARY"])
    return None


def test_a_manager_and_an_engineer_in_a_real_browser(live, browsers):
    manager_link = add_user("mia@example.com", "--role", "manager")
    tobi_link = add_user("tobi@example.com", "--role", "engineer", "--engineer", "Tobi Jones")
    desk = browsers(1280, 900)

    desk.get(manager_link)
    click_and_load(desk, desk.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert desk.current_url == f"{BASE}/now"
    with live.app_context(), database.connection_context():
        now = utc_now()
        current = periods.period_at(now)
        expected = current.primary.name
        tz = runtime().settings.tz
    on_duty = desk.find_element(By.CSS_SELECTOR, "[aria-labelledby=h-duty] .big").text
    assert on_duty == expected

    # a manager calendar link for the rota feed, to watch it follow the swap
    desk.get(f"{BASE}/calendars")
    click_and_load(desk, desk.find_element(By.XPATH, "//button[text()='Make a manager link']"))
    feed = desk.find_element(By.CSS_SELECTOR, "input.feed-link").get_attribute("value")
    assert feed.endswith("/rota.ics")

    # two days still to come (a period that has started is not swapped), in a month shown
    today = now.astimezone(tz).date()
    first = (today + timedelta(days=7)).replace(day=1)
    days = [day for day in (first + timedelta(days=n) for n in range(27))
            if day > today + timedelta(days=1)]
    desk.get(f"{BASE}/rota?month={first:%Y-%m}")
    names = {day: cell_primary(desk, day) for day in days}
    one = days[0]
    two = next(day for day in days[1:] if names[day] != names[one])
    with live.app_context(), database.connection_context():
        start_one = periods.period_bounds(one, runtime().settings)[0]
    assert feed_summary(feed, start_one) == f"On duty: {names[one]}"
    # a form's submit event (here without sending it): its button shows that it is working
    button = desk.find_element(By.XPATH, "//button[text()='Swap']")
    desk.execute_script("arguments[0].form.dispatchEvent(new Event('submit', {bubbles: true}))",
                        button)
    WebDriverWait(desk, 5).until(lambda d: button.get_attribute("aria-busy") == "true")
    assert not button.is_enabled()
    desk.get(f"{BASE}/rota?month={first:%Y-%m}")
    desk.find_element(By.XPATH, "//summary[text()='Swap two days']").click()
    for field, day in (("f-sw-first", one), ("f-sw-second", two)):
        desk.execute_script("arguments[0].value = arguments[1]",
                            desk.find_element(By.ID, field), day.isoformat())
    click_and_load(desk, desk.find_element(By.XPATH, "//button[text()='Swap']"))
    assert f"swapped: {one} and {two}" in desk.find_element(By.TAG_NAME, "main").text
    assert (cell_primary(desk, one), cell_primary(desk, two)) == (names[two], names[one])
    assert feed_summary(feed, start_one) == f"On duty: {names[two]}"

    desk.get(f"{BASE}/engineers")
    click_and_load(desk, desk.find_element(By.CSS_SELECTOR,
                                           "button[aria-label='Sign out Ben Smith']"))
    row = desk.find_element(By.ID, f"engineer-{_id('Ben Smith')}").text
    assert "signed out" in row
    with database.connection_context():
        assert not Engineer.get(Engineer.name == "Ben Smith").signed_in

    phone = browsers(360, 740)
    # headless Chromium keeps windows at least 500 px wide: a phone's screen is emulated
    phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    phone.get(tobi_link)
    click_and_load(phone, phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360
    click_and_load(phone, phone.find_element(By.ID, "my-sign-in"))
    text_becomes(phone, "my-sign-in", "Sign me out")
    with database.connection_context():
        assert Engineer.get(Engineer.name == "Tobi Jones").signed_in
    phone.get(f"{BASE}/calendars")
    click_and_load(phone, phone.find_element(By.ID, "make-link"))
    phone.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": BASE, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    copy = phone.find_element(By.XPATH, "//button[text()='Copy link']")
    copy.click()
    # the page says so once the clipboard has taken the link, which it does asynchronously
    WebDriverWait(phone, 10).until(lambda d: copy.text == "Copied")
    copied = phone.execute_async_script(
        "navigator.clipboard.readText().then(arguments[0], e => arguments[0]('error ' + e))")
    assert re.fullmatch(rf"{re.escape(BASE)}/calendars/[a-z2-7]{{40}}/mine\.ics", copied), copied
    with urllib.request.urlopen(copied) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 360


def _id(name):
    with database.connection_context():
        return Engineer.get(Engineer.name == name).id


# recorded from the first script of every page, before the page's own
CSP_WATCH = """window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});"""
MANAGER_PAGES = ("/now", "/rota", "/engineers", "/calls", "/calls/{call}", "/tickets",
                 "/tickets/{ticket}", "/reports", "/calendars", "/customers", "/blocked",
                 "/users", "/audit", "/account")


def _a_call_and_its_ticket():
    now = utc_now()
    with database.connection_context():
        tobi = Engineer.get(Engineer.name == "Tobi Jones")
        call = Call.create(sid="CA" + "4" * 32, from_number="+447700900123",
                           started_at=now - timedelta(minutes=5), mode="in_hours",
                           status="voicemail", ended_at=now - timedelta(minutes=4))
        Leg.create(call=call, step=0, engineer=tobi, number=tobi.mobile, role="hunt",
                   started_at=call.started_at, picked_up_at=call.started_at + timedelta(seconds=8),
                   ended_at=call.started_at + timedelta(seconds=20), outcome="not-pressed")
        ticket = Ticket.create(call=call, caller=call.from_number, created_at=call.started_at)
        return call.id, ticket.number


def _hunting(driver, name):
    cell = driver.find_element(
        By.XPATH, f"//table[@aria-labelledby='h-people']//tr[td[1]='{name}']/td[2]")
    return cell.text


def test_every_page_under_the_content_security_policy(live, browsers):
    link = add_user("mia@example.com", "--role", "manager")
    call, ticket = _a_call_and_its_ticket()
    desk = browsers(1280, 900)
    desk.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_WATCH})
    desk.get(link)
    click_and_load(desk, desk.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    for page in MANAGER_PAGES:
        desk.get(BASE + page.format(call=call, ticket=ticket))
        assert desk.find_element(By.TAG_NAME, "h1").text, page
        assert desk.execute_script("return window.cspViolations") == [], page

    # what were style attributes now come from the stylesheet
    desk.get(f"{BASE}/calls/{call}")
    stages = desk.find_elements(By.CSS_SELECTOR, "svg.timeline rect")
    assert [rect.value_of_css_property("fill") for rect in stages] == [
        "rgb(159, 182, 208)", "rgb(217, 154, 0)"]  # ringing, then the whisper
    assert stages[1].get_attribute("x") == "13.33"  # picked up 8 s into a 60 s call
    desk.get(f"{BASE}/reports")
    chart = desk.find_element(By.CSS_SELECTOR, "svg.chart")
    assert 0 < chart.size["width"] <= 640

    # the Now page's live refresh (htmx) still runs under the policy
    desk.get(f"{BASE}/now")
    assert _hunting(desk, "Asha Patel") == "signed out"
    with live.app_context(), database.connection_context():
        engineer_service.set_signed_in("Asha Patel", True, now=utc_now())
    WebDriverWait(desk, 12, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: _hunting(d, "Asha Patel") == "signed in")
    assert desk.execute_script("return window.cspViolations") == []

    # Back after signing out asks the server again: the sign-in page, not the stored Now page
    click_and_load(desk, desk.find_element(By.XPATH, "//header//button[text()='Sign out']"))
    assert desk.current_url == f"{BASE}/signin"
    desk.back()
    WebDriverWait(desk, 10).until(lambda d: d.current_url.startswith(f"{BASE}/signin?next="))
    assert desk.find_elements(By.ID, "h-duty") == []
