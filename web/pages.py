"""Imports every module that adds views to the blueprint."""


def load():
    from web import (auth, blocked_page, calendars_page, calls_page,  # noqa: F401
                     customers_page, engineers_page, now, reports_page, rota_page,
                     tickets_page, users_page)
    from web import pay_page, wallboard_page  # noqa: F401
    from web import duty_actions, swaps_page  # noqa: F401
    from web import callbacks_page  # noqa: F401
