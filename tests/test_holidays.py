"""Public holidays by region: England and Scotland differ, no region has none."""

from datetime import date

import pytest

from dutyline.holidays import UnknownRegion, check_region, is_public_holiday, public_holidays


# region, date -> a public holiday there?
@pytest.mark.parametrize("region, day, expected", [
    ("GB-ENG", date(2026, 4, 3), True),     # Good Friday
    ("GB-ENG", date(2026, 4, 6), True),     # Easter Monday
    ("GB-ENG", date(2026, 12, 28), True),   # Boxing Day observed on the Monday
    ("GB-ENG", date(2027, 1, 4), False),
    ("GB-SCT", date(2027, 1, 4), True),     # Scotland's 2 January observed on the Monday
    ("GB-SCT", date(2026, 4, 6), False),    # no Easter Monday in Scotland
    ("DE-BY", date(2026, 1, 6), True),      # Epiphany in Bavaria
    ("", date(2026, 12, 25), False),        # no region: no holidays
])
def test_is_public_holiday(region, day, expected):
    assert is_public_holiday(region, day) is expected


def test_a_year_of_english_holidays():
    assert sorted(day for day in public_holidays("GB-ENG", 2026) if day.month == 12) == [
        date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28)]


@pytest.mark.parametrize("region", ["XX", "GB-NOWHERE"])
def test_an_unknown_region_is_named(region):
    with pytest.raises(UnknownRegion, match=region):
        check_region(region)


@pytest.mark.parametrize("region", ["", "GB", "GB-ENG", "US-CA"])
def test_known_regions_pass(region):
    check_region(region)
