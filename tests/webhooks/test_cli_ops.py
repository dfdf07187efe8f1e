"""The background loops keep going after a failed pass."""

import pytest

from webhooks.cli_ops import repeat


class Stop(BaseException):
    pass


def test_a_failed_pass_does_not_stop_the_loop(app):
    passes = []

    def work():
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("database went away")

    def sleep(_seconds):
        if len(passes) == 3:
            raise Stop()

    with pytest.raises(Stop):
        repeat(False, 5, work, sleep=sleep)
    assert passes == [0, 1, 2]


def test_once_runs_one_pass_and_lets_errors_out(app):
    passes = []

    def work():
        passes.append(1)
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        repeat(True, 5, work)
    assert passes == [1]


def test_an_interrupt_while_waiting_ends_the_loop(app):
    passes = []

    def sleep(_seconds):
        raise KeyboardInterrupt()

    repeat(False, 5, lambda: passes.append(1), sleep=sleep)
    assert passes == [1]
