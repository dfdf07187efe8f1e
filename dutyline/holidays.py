"""Public holidays of a region such as "GB-ENG" (a country and a subdivision), looked up once
a year per region from the holidays library; an empty region has none."""

from functools import lru_cache

import holidays as holidays_lib


class UnknownRegion(ValueError):
    """A holiday region the holidays library does not know."""


def _calendar(region, years):
    country, _, subdiv = region.partition("-")
    return holidays_lib.country_holidays(country, subdiv=subdiv or None, years=years)


def check_region(region):
    """Raise UnknownRegion unless `region` is one the library knows (or empty: no holidays)."""
    if not region:
        return
    try:
        _calendar(region, 2026)
    except NotImplementedError as exc:
        raise UnknownRegion(f"unknown region {region!r}") from exc


@lru_cache(maxsize=64)
def public_holidays(region, year):
    """The public holidays of `region` in `year`, as a frozenset of dates."""
    if not region:
        return frozenset()
    return frozenset(_calendar(region, year))


def is_public_holiday(region, day):
    """True when the date `day` is a public holiday in `region`."""
    return day in public_holidays(region, day.year)
