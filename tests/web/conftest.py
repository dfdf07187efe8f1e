"""Fixtures for the web interface: users, signed-in test clients, CSRF tokens from the pages."""

import re

import pytest

from accounts.links import issue_link
from accounts.users import add_user
from dutyline.db import database
from tests.conftest import ADDED_AT

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_config():
    return {"SECRET_KEY": "test-secret-key"}


def csrf_of(client, path="/signin"):
    """The CSRF token of the form on a page, as a browser would read it."""
    page = client.get(path).get_data(as_text=True)
    found = CSRF.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


class Browser:
    """A test client that signs in through a one-time link and posts forms with their token."""

    def __init__(self, app, clock):
        self.client = app.test_client()
        self.clock = clock

    def sign_in(self, email):
        with database.connection_context():
            from accounts.users import find_user

            secret = issue_link(find_user(email), self.clock())
        path = f"/signin/link/{secret}"
        response = self.client.post(path, data={"csrf_token": csrf_of(self.client, path)})
        assert response.status_code == 302, response.get_data(as_text=True)
        return self

    def get(self, path, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path, data=None, token_from=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_of(self.client, token_from or "/account"))
        return self.client.post(path, data=data, **kwargs)


@pytest.fixture
def make_user(app):
    def make(email, role="manager", engineer=None):
        with database.connection_context():
            return add_user(email, role, engineer, now=ADDED_AT)

    return make


@pytest.fixture
def browser(app, clock):
    return lambda: Browser(app, clock)


@pytest.fixture
def manager(make_user, browser):
    make_user("mia@example.com", "manager")
    return browser().sign_in("mia@example.com")


@pytest.fixture
def ben(make_engineer):
    return make_engineer("Ben Smith", signed_in=False, location="office")


@pytest.fixture
def engineer(ben, make_user, browser):
    make_user("ben@example.com", "engineer", "Ben Smith")
    return browser().sign_in("ben@example.com")
