"""In Chromium on a phone 360 px wide: with two teams a manager switches from the header to
the other team's pages, and no page scrolls sideways with the switcher in the header."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from dutyline.db import database
from rota.models import Team
from rota.teams import add_team, join_team, leave_team
from rota.engineers import find_engineer
from tests.web.test_browser import (BASE, add_user, app_config, browsers,  # noqa: F401
                                    click_and_load, live)
from tests.web.test_browser_phone import SIDEWAYS, phone, sign_in
from webhooks.runtime import utc_now

PAGES = ("/now", "/rota", "/calls", "/reports", "/calendars")


def test_a_manager_switches_team_on_a_phone(live, browsers):
    with live.app_context(), database.connection_context():
        network = add_team("Network Operations Centre", utc_now())
        asha = find_engineer("Asha Patel")
        join_team(network, asha)
        leave_team(Team.get_by_id(1), asha)
    driver = phone(browsers)
    sign_in(driver, add_user("mia@example.com", "--role", "manager"))
    driver.get(f"{BASE}/now")
    switch = Select(driver.find_element(By.ID, "team-switch"))
    assert [option.text for option in switch.options] == ["Support",
                                                          "Network Operations Centre"]
    assert "Ben Smith" in driver.find_element(By.TAG_NAME, "main").text
    switch.select_by_visible_text("Network Operations Centre")
    click_and_load(driver, driver.find_element(By.CSS_SELECTOR, ".team-switch button"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Now: Network Operations Centre"
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "Asha Patel" in main and "Ben Smith" not in main
    for page in PAGES:
        driver.get(BASE + page)
        WebDriverWait(driver, 5).until(lambda d: d.find_element(By.TAG_NAME, "h1").text)
        assert driver.find_element(By.TAG_NAME, "h1").text.endswith(
            ": Network Operations Centre"), page  # the choice is kept
        assert driver.execute_script("return window.innerWidth") == 360, page
        assert driver.execute_script(SIDEWAYS) == [], page
        button = driver.find_element(By.CSS_SELECTOR, ".team-switch button")
        assert button.is_displayed() and button.rect["x"] + button.rect["width"] <= 360
