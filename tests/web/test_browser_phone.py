"""In Chromium: a manager changes the rota from its grid (a picked day's forms filled in, a
started day refused without the box); an engineer on a phone asks a colleague to swap a day
and the colleague accepts on theirs; and no page scrolls sideways on a phone 360 px wide,
signed in as a manager or as an engineer.
"""

from datetime import timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from customers.blocklist import add_block
from customers.directory import add_customer
from dutyline.db import database
from rota.models import DutyPeriod, Engineer, SwapRequest
from outbox.models import OutboxMessage
from tests.web.test_browser import (BASE, _a_call_and_its_ticket, add_user,  # noqa: F401
                                    app_config, browsers, cell_primary, click_and_load, live)
from tests.web.test_routes import ROUTES
from webhooks.runtime import runtime, utc_now

PHONE = {"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True}
# what nothing may do on a phone: the page wider than the screen, or a box inside it that
# scrolls sideways (a table hiding its last columns)
SIDEWAYS = """return [document.documentElement.scrollWidth > window.innerWidth ? "the page" : null]
  .concat(Array.from(document.querySelectorAll("body *")).filter(function (e) {
    var style = getComputedStyle(e);
    return ["auto", "scroll"].indexOf(style.overflowX) >= 0 && e.scrollWidth > e.clientWidth + 1;
  }).map(function (e) { return e.tagName + "." + e.className; }))
  .filter(function (x) { return x; });"""


def phone(browsers):
    # headless Chromium keeps windows at least 500 px wide: a phone's screen is emulated
    driver = browsers(360, 740)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    return driver


def sign_in(driver, link):
    driver.get(link)
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def coming_days(live):
    """{day: primary's name} of the periods still to come, in order."""
    with live.app_context(), database.connection_context():
        now = utc_now()
        return {p.day: p.primary.name for p in DutyPeriod.select().where(
            DutyPeriod.starts_at > now + timedelta(minutes=5)).order_by(DutyPeriod.day)}


def test_a_manager_changes_the_rota_from_its_grid(live, browsers):
    desk = browsers(1280, 900)
    sign_in(desk, add_user("mia@example.com", "--role", "manager"))
    days = coming_days(live)
    one = next(day for day in days if day.day < 28)  # its month shown, with a day after it
    month = f"{one:%Y-%m}"
    desk.get(f"{BASE}/rota?month={month}")
    click_and_load(desk, desk.find_element(By.CSS_SELECTOR, f'[data-day="{one}"] a.pick'))
    assert desk.find_element(By.ID, "f-as-day").get_attribute("value") == one.isoformat()
    primary = Select(desk.find_element(By.ID, "f-as-primary"))
    assert primary.first_selected_option.text == days[one]
    other = next(o.text for o in primary.options if o.text != days[one])
    primary.select_by_visible_text(other)
    click_and_load(desk, desk.find_element(By.XPATH, "//button[text()='Assign']"))
    assert f"assigned: {one}: {other}" in desk.find_element(By.TAG_NAME, "main").text
    assert cell_primary(desk, one) == other
    # the same day, still picked: swap it with a later one whose engineer differs
    assert desk.find_element(By.ID, "f-sw-first").get_attribute("value") == one.isoformat()
    two = next(day for day in days if day > one and day.month == one.month
               and days[day] != other)
    desk.execute_script("arguments[0].value = arguments[1]",
                        desk.find_element(By.ID, "f-sw-second"), two.isoformat())
    click_and_load(desk, desk.find_element(By.XPATH, "//button[text()='Swap']"))
    assert f"swapped: {one} and {two}" in desk.find_element(By.TAG_NAME, "main").text
    assert (cell_primary(desk, one), cell_primary(desk, two)) == (days[two], other)
    # a day that has started is locked: its assign form refuses without the box
    with live.app_context():
        today = utc_now().astimezone(runtime().settings.tz).date()
    started = today - timedelta(days=2)  # its period is over
    desk.get(f"{BASE}/rota?month={started:%Y-%m}")
    picked = desk.find_element(By.CSS_SELECTOR, f'[data-day="{started}"]')
    assert "started" in picked.get_attribute("class")
    click_and_load(desk, picked.find_element(By.CSS_SELECTOR, "a.pick"))
    assert "This duty is over" in desk.find_element(By.CSS_SELECTOR, ".picked-day").text
    before = cell_primary(desk, started)
    click_and_load(desk, desk.find_element(By.XPATH, "//button[text()='Assign']"))
    assert "has started; assigning it would rewrite who was on duty" in desk.find_element(
        By.CSS_SELECTOR, ".msg.error[role=alert]").text
    assert cell_primary(desk, started) == before
    # the browser logs the refusal's 400 (read here, so that the log is otherwise clean)
    assert [entry["message"] for entry in desk.get_log("browser")] == [
        f"{BASE}/rota/assign - Failed to load resource: the server responded with a status "
        "of 400 (BAD REQUEST)"]


def test_a_colleague_accepts_a_swap_on_their_phone(live, browsers):
    days = coming_days(live)
    give = next(day for day in days if days[day] == "Ben Smith")
    take = next(day for day in days if days[day] == "Tobi Jones")
    ben = phone(browsers)
    sign_in(ben, add_user("ben@example.com", "--role", "engineer", "--engineer", "Ben Smith"))
    click_and_load(ben, ben.find_element(By.ID, "ask-swap"))
    Select(ben.find_element(By.ID, "f-give")).select_by_value(give.isoformat())
    Select(ben.find_element(By.ID, "f-take")).select_by_value(take.isoformat())
    click_and_load(ben, ben.find_element(By.ID, "ask"))
    assert "they have been texted" in ben.find_element(By.TAG_NAME, "main").text
    assert "waiting for an answer" in ben.find_element(By.ID, "h-asked").find_element(
        By.XPATH, "following-sibling::div").text

    tobi = phone(browsers)
    sign_in(tobi, add_user("tobi@example.com", "--role", "engineer", "--engineer", "Tobi Jones"))
    accept = tobi.find_element(By.XPATH, "//section[@aria-labelledby='h-mine']"
                                         "//button[text()='Accept']")
    click_and_load(tobi, accept)
    assert "swap accepted: Tobi Jones takes" in tobi.find_element(By.TAG_NAME, "main").text
    with database.connection_context():
        held = {p.day: p.primary.name for p in DutyPeriod.select().where(
            DutyPeriod.day.in_([give, take]))}
        assert held == {give: "Tobi Jones", take: "Ben Smith"}
        assert SwapRequest.get().status == "accepted"
        ben_mobile = Engineer.get(Engineer.name == "Ben Smith").mobile
        told = OutboxMessage.select().where(OutboxMessage.recipient == ben_mobile).order_by(
            OutboxMessage.id.desc()).first()
        assert told.body.startswith("Tobi Jones accepted your swap")
    ben.get(f"{BASE}/swaps")
    assert "No request of yours is waiting." in ben.find_element(By.TAG_NAME, "main").text


def _values(live):
    """A value for every argument of the pages' paths (as test_routes' world gives them)."""
    call, ticket = _a_call_and_its_ticket()
    with live.app_context(), database.connection_context():
        settings = runtime().settings
        customer = add_customer("ACME Ltd", ["+442079460000"], region="GB")
        block = add_block("+442079460123", "fax machine", settings, "mia@example.com",
                          utc_now())
        tobi = Engineer.get(Engineer.name == "Tobi Jones")
    return {"engineer_id": tobi.id, "call_id": call, "number": ticket,
            "customer_id": customer.id, "block_id": block.id}


def _pages(values, role):
    """The paths of the pages a role opens (test_routes.ROUTES; a manager opens them all)."""
    pages = []
    for rule, (get, _post) in ROUTES.items():
        if get is None or rule.endswith(".csv") or (role == "engineer" and get != 200):
            continue
        path = rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value))
        assert "<" not in path, f"no value for {path}"
        pages.append(path)
    return pages


def test_no_page_scrolls_sideways_on_a_phone(live, browsers):
    values = _values(live)
    for role, email, extra in (("manager", "mia@example.com", ()),
                               ("engineer", "ben@example.com", ("--engineer", "Ben Smith"))):
        driver = phone(browsers)
        sign_in(driver, add_user(email, "--role", role, *extra))
        pages = _pages(values, role)
        assert "/engineers" in pages and "/tickets" in pages and "/calls" in pages
        for page in pages:
            driver.get(BASE + page)
            WebDriverWait(driver, 5).until(lambda d: d.find_element(By.TAG_NAME, "h1").text)
            assert driver.execute_script("return window.innerWidth") == 360, (role, page)
            assert driver.execute_script(SIDEWAYS) == [], (role, page)
        # the engineers' numbers and a manager's Edit are in reach, without scrolling
        driver.get(f"{BASE}/engineers")
        row = driver.find_element(By.ID, f"engineer-{values['engineer_id']}")
        numbers = row.find_element(By.CSS_SELECTOR, "a.tel")
        assert numbers.is_displayed() and numbers.get_attribute("href").startswith("tel:+44")
        assert numbers.rect["x"] + numbers.rect["width"] <= 360
        if role == "manager":
            edit = row.find_element(By.XPATH, ".//summary[text()='Edit']")
            assert edit.is_displayed() and edit.rect["x"] + edit.rect["width"] <= 360
