"""The command line refuses names and notes with control characters in one line, and
changes nothing."""

import json

import pytest

from tests.console.test_cli import cli, engineers  # noqa: F401  (the fixture)


@pytest.mark.parametrize("args, message", [
    # header: command -> the start of the one line it prints
    (["customer", "add", "Globex\nCorp", "--number", "020 7946 0000"],
     "customer name 'Globex\\nCorp' holds a control character (U+000A"),
    (["engineer", "add", "Asha\rPatel", "--mobile", "07911 123403"],
     "engineer name 'Asha\\rPatel' holds a control character (U+000D"),
    (["engineer", "set", "Ben Smith", "--name", "Ben\u202eSmith"],
     "engineer name 'Ben\\u202eSmith' holds a control character (U+202E"),
    (["engineer", "set", "Ben Smith", "--email", "ben@example.com\nBcc: x@example.com"],
     "e-mail address 'ben@example.com\\nBcc: x@example.com' holds a control character"),
    (["absence", "add", "Ben Smith", "--from", "2026-12-07", "--to", "2026-12-08",
      "--reason", "leave\u2028again"], "absence reason 'leave\\u2028again'"),
    (["calendars", "token", "--manager", "board\troom"], "label 'board\\troom'"),
])
def test_control_characters_in_a_name_or_note_are_one_line_and_change_nothing(
        cli, args, message):  # noqa: F811
    cli("engineer", "add", "Ben Smith", "--mobile", "07911 123401")
    before = (engineers(cli), cli("customer", "list", "--json").output,
              cli("absence", "list", "--json").output, cli("calendars", "tokens", "--json").output)
    result = cli(*args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert (engineers(cli), cli("customer", "list", "--json").output,
            cli("absence", "list", "--json").output,
            cli("calendars", "tokens", "--json").output) == before


def test_a_customer_csv_with_a_control_character_imports_nothing(cli, tmp_path):  # noqa: F811
    path = tmp_path / "customers.csv"
    path.write_text("Initech,020 7946 0001\nGlobex\x7f,020 7946 0002\n", encoding="utf-8")
    result = cli("customer", "import", str(path))
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: line 2: customer name 'Globex\\x7f' holds a control character (U+007F, "
        "character 7): use plain text; nothing imported"]
    assert json.loads(cli("customer", "list", "--json").output) == []
    accepted = cli("customer", "add", "Zoë O'Brien-Łukasz", "--number", "020 7946 0003")
    assert accepted.exit_code == 0, accepted.output
