"""Runs `python -m radicale --verify-item FILE` for many files in one interpreter.

Each file goes through Radicale's own command-line entry point, exactly as
`python -m radicale --verify-item FILE` would, without starting a process per
file. Prints one line per file: its exit status and name.
"""

import contextlib
import io
import runpy
import sys


def verify(path):
    sys.argv = ["radicale", "--verify-item", path]
    captured = io.StringIO()
    status = 0
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        try:
            runpy.run_module("radicale", run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, captured.getvalue()


if __name__ == "__main__":
    for name in sys.argv[1:]:
        code, output = verify(name)
        print(f"{code} {name}")
        if code:
            print(output, file=sys.stderr)
