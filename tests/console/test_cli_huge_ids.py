"""A number on the command line past what a table's key holds names nothing: the command's
own "not found" line, never a traceback (SQLite cannot bind a number past 2**63 - 1)."""

import pytest

from tests.console.test_cli import cli  # noqa: F401  (the fixture)

HUGE = "99999999999999999999"  # past 2**64


@pytest.mark.parametrize("args, message", [
    # header: command -> the one line it prints
    (["tickets", "show", HUGE], f"no ticket #{HUGE}"),
    (["tickets", "ack", f"#{HUGE}"], f"no ticket #{HUGE}"),
    (["tickets", "close", HUGE], f"no ticket #{HUGE}"),
    (["tickets", "priority", HUGE, "A"], f"no ticket #{HUGE}"),
    (["calls", "show", HUGE], HUGE),
    (["absence", "remove", HUGE], f"no absence with id {HUGE}"),
    (["rota", "override-remove", HUGE], f"no override with id {HUGE}"),
    (["outbox", "retry", HUGE], f"no failed message with id {HUGE}"),
])
def test_a_number_past_the_keys_is_not_found_in_one_line(cli, args, message):  # noqa: F811
    result = cli(*args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
