"""A real browser (Debian's headless Chromium through Selenium) against a live server.

A manager signs in with the link `dutyline user add` printed, sees who is on duty, swaps two
days and sees the grid and the rota feed change, and signs an engineer out; an engineer on a
phone-sized window signs in to hunting and copies their calendar link. No console errors.
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
            generate_month(year, month, settings, now)
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

    month = now.astimezone(tz)
    first = month.replace(day=1).date()
    days = [first + timedelta(days=n) for n in range(27)]
    desk.get(f"{BASE}/rota?month={first:%Y-%m}")
    names = {day: cell_primary(desk, day) for day in days}
    one = days[10]
    two = next(day for day in days[11:] if names[day] != names[one])
    with live.app_context(), database.connection_context():
        start_one = periods.period_bounds(one, runtime().settings)[0]
    assert feed_summary(feed, start_one) == f"On duty: {names[one]}"
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
