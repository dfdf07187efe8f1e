"""Imports every module that adds views to the blueprint."""


def load():
    from web import (auth, calendars_page, calls_page, customers_page, engineers_page,  # noqa: F401
                     now, reports_page, rota_page, tickets_page, users_page)
