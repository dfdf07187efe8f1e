"""The rota's settings keys: accepted values and errors that name the key."""

import pytest

from dutyline.settings import SettingsError, parse_settings


@pytest.mark.parametrize("data, backup, period, week_start, days", [
    # settings                                      backup period  weekday length
    ({},                                            False, "day",  0,      1),
    ({"backup": True},                              True,  "day",  0,      1),
    ({"period": "week"},                            False, "week", 0,      7),
    ({"period": "week", "week_start": "Thu"},       False, "week", 3,      7),
])
def test_rota_settings(data, backup, period, week_start, days):
    settings = parse_settings(data)
    assert (settings.backup, settings.period, settings.week_start, settings.period_days) == (
        backup, period, week_start, days)


@pytest.mark.parametrize("data, key", [
    ({"backup": "yes"}, "backup"),
    ({"period": "fortnight"}, "period"),
    ({"week_start": "monday"}, "week_start"),
    ({"week_start": 1}, "week_start"),
])
def test_bad_rota_settings_name_the_key(data, key):
    with pytest.raises(SettingsError, match=f"^{key}: "):
        parse_settings(data)
