"""A line's menu as a manager types it: at most one sentence and four keys, a default."""

import pytest

from telephony.lines import LineError, parse_menu

TEAMS = {"support": 1, "network": 2}
SENTENCE = "For support press 2, for accounts press 1."


def menu(sentence=SENTENCE, keys=None, default="2", wait=5):
    return parse_menu(sentence, keys if keys is not None else {"2": "Support",
                                                              "1": "020 7183 8799"},
                      default, wait, "GB", TEAMS)


def test_keys_lead_to_teams_or_numbers_and_silence_to_the_default():
    parsed = menu()
    assert parsed.choice("2").team_id == 1
    assert parsed.choice("1").number == "+442071838799"
    assert parsed.choice("").team_id == 1  # silence: the default
    assert parsed.choice("9").team_id == 1  # a key not offered: the default


@pytest.mark.parametrize("change, error", [
    ({"keys": {str(k): "Support" for k in range(1, 5)}, "default": "1"}, None),
    ({"keys": {str(k): "Support" for k in range(1, 6)}, "default": "1"}, "one to 4 keys"),
    ({"keys": {}}, "one to 4 keys"),
    ({"wait": 2}, None), ({"wait": 10}, None),
    ({"wait": 1}, "waits 2 to 10 seconds"), ({"wait": 11}, "waits 2 to 10 seconds"),
    ({"sentence": "x" * 160}, None),
    ({"sentence": "x" * 161}, "one sentence of at most 160"),
    ({"sentence": "Press 2. Or press 1."}, "one sentence"),
    ({"sentence": "   "}, "needs its sentence"),
    ({"keys": {"10": "Support"}, "default": "10"}, "one digit, 0 to 9"),
    ({"keys": {"*": "Support"}, "default": "*"}, "one digit, 0 to 9"),
    ({"keys": {"2": "Sales"}}, "neither a team nor a phone number"),
    ({"default": "5"}, "default key '5' is not one of the keys 1, 2"),
])
def test_menu_limits(change, error):
    if error is None:
        assert menu(**change).default == change.get("default", "2")
        return
    with pytest.raises(LineError) as raised:
        menu(**change)
    assert error in str(raised.value)
