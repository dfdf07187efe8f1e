"""`dutyline simulate --then STEP`: call-backs and ring tests played after the call, as the
single commands simulate-callback and simulate-ring-test play them."""

import json

import pytest

from console.scenario import Step, parse_step
from tests.console.test_simulate import cli  # noqa: F401  the command line as a newcomer has it


def missed(cli):  # noqa: F811
    return [row["ticket"] for row in json.loads(cli("calls", "missed", "--json").output)]


def test_a_missed_call_is_called_back_after_it(cli):  # noqa: F811
    cli("rota", "assign", "2026-12-24", "Ben Smith")
    result = cli("simulate", "--at", "2026-12-25T10:00", "--caller-action", "hangup",
                 "--then", "call-back Tobi Jones customer=no-answer")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("call ended after") < out.index("step: call-back Tobi Jones press=1 "
                                                     "customer=no-answer")
    assert "Calling back a caller with no contract on file, ticket 1 0 0 1" in out
    assert "dialling +447400123456" in out
    assert missed(cli) == [1001]  # the customer did not answer: still due
    again = cli("simulate", "--at", "2026-12-25T11:00", "--others", "accept",
                "--then", "call-back Tobi Jones ticket=1001")
    assert again.exit_code == 0, again.output
    assert "caller connected to" in again.output and "ticket 1 0 0 1" in again.output
    assert missed(cli) == []  # reached: the call-back is done


def test_an_answered_call_has_nothing_to_call_back(cli):  # noqa: F811
    cli("rota", "assign", "2026-12-24", "Ben Smith")
    result = cli("simulate", "--at", "2026-12-25T10:00", "--others", "accept",
                 "--then", "call-back Tobi Jones")
    assert result.exit_code == 0, result.output
    assert "the call made no ticket (an engineer took it): nothing to call back" in result.output
    assert "Calling back" not in result.output


def test_a_ring_test_is_played_after_the_call(cli):  # noqa: F811
    cli("rota", "assign", "2026-12-24", "Ben Smith")
    cli("rota", "assign", "2026-12-25", "Tobi Jones")
    result = cli("simulate", "--at", "2026-12-24T20:00", "--others", "accept",
                 "--then", "ring-test press=none", "--then", "ring-test Ben Smith")
    assert result.exit_code == 0, result.output
    first, second = result.output.split("step: ring-test")[1:]
    assert "Press 1 to confirm" in first and "Confirmed" not in first
    assert "+447911123402" in first  # Tobi, on duty from the next handover
    assert "+447911123401" in second and "Confirmed" in second


@pytest.mark.parametrize("step, message", [
    # header: --then STEP -> the one-line error
    ("call back Ben Smith", "a step is 'call-back NAME …' or 'ring-test [NAME] …'"),
    ("call-back", "call-back: name the engineer"),
    ("call-back Ben Smith press=9", "'press=9' is not one of press=1|2|none"),
    ("ring-test customer=answer", "'customer=answer' is not one of press=1|2|none"),
    ("call-back Ben Smith ticket=", "'ticket=' is not one of"),
    ("call-back Nobody Known", "Nobody Known"),
])
def test_a_bad_step_is_refused_before_anything_is_played(cli, step, message):  # noqa: F811
    result = cli("simulate", "--at", "2026-12-25T10:00", "--then", step)
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1
    assert json.loads(cli("calls", "list", "--json").output) == []


@pytest.mark.parametrize("text, step", [
    ("call-back Ben Smith", Step("call-back", "Ben Smith")),
    ("CALL-BACK Ben press=none customer=no-answer ticket=1043",
     Step("call-back", "Ben", "none", "no-answer", "1043")),
    ("ring-test", Step("ring-test", None)),
    ("ring-test Ann  Archer press=2", Step("ring-test", "Ann Archer", "2")),
])
def test_steps_read(text, step):
    assert parse_step(text) == step
    assert parse_step(str(step)) == step
