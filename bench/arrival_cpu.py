"""/voice/incoming in one process, with no HTTP server and no load generator: CPU per arrival.

Usage: python bench/arrival_cpu.py [--arrivals 4000] [--floor]

Seeds a SQLite database as bench/webhooks.py does and sends signed arrivals, each a new
CallSid, straight into the WSGI app (dutyline, or with --floor bench/floor_app.py). Prints
the CPU time per arrival of the quickest and the median block of 500. Where wrk and the
server share a machine's cores, this moves far less from run to run than requests a second.

For a count that does not move at all, run it under valgrind with instrumentation off until
the arrivals begin; it prints the instructions per arrival the tool counted:

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \\
        python bench/arrival_cpu.py --arrivals 300 --callgrind
"""

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from bench.webhooks import ALWAYS_OPEN, TOKEN, seed  # noqa: E402

PUBLIC = "http://bench.example"
WARM_UP = 200
BLOCK = 500


def environs(count):
    from werkzeug.test import EnvironBuilder

    validator = RequestValidator(TOKEN)
    for n in range(count):
        form = {"CallSid": f"CA{n:032x}", "From": "+447400123456", "To": "+442071838750",
                "CallStatus": "ringing"}
        signature = validator.compute_signature(f"{PUBLIC}/voice/incoming", form)
        yield EnvironBuilder(path="/voice/incoming", method="POST", data=form,
                             headers={"X-Twilio-Signature": signature}).get_environ()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arrivals", type=int, default=4000)
    parser.add_argument("--floor", action="store_true", help="bench/floor_app.py instead")
    parser.add_argument("--callgrind", action="store_true",
                        help="count instructions of the arrivals only (under valgrind)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="dutyline-cpu-")
    settings = Path(folder) / "dutyline.toml"
    settings.write_text(ALWAYS_OPEN)
    url = f"sqlite:///{folder}/bench.db"
    seed(url, 1000)
    os.environ.update({"DATABASE_URL": url, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_URL": PUBLIC,
                       "DUTYLINE_SETTINGS": str(settings)})
    if args.floor:
        from bench.floor_app import create_app
    else:
        from webhooks import create_app
    app = create_app()
    # the log line at INFO as in production, written where it costs no disk
    handler = logging.StreamHandler(open(os.devnull, "w"))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(process)d %(message)s"))
    logging.getLogger().handlers = [handler]
    logging.getLogger().setLevel(logging.INFO)
    requests = list(environs(WARM_UP + args.arrivals))

    def arrive(environ):
        answer = b"".join(app.wsgi_app(environ, lambda status, headers, exc=None: None))
        if b"<Dial" not in answer:
            raise SystemExit(f"not a Dial: {answer[:200]!r}")

    for environ in requests[:WARM_UP]:
        arrive(environ)
    rest = requests[WARM_UP:]
    if args.callgrind:
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=True,
                       capture_output=True)
        for environ in rest:
            arrive(environ)
        subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], check=True,
                       capture_output=True)
        print(f"{'floor' if args.floor else 'dutyline'}: {len(rest)} arrivals counted; "
              "divide the instructions valgrind reports by that")
        return
    blocks = []
    for start in range(0, len(rest) - BLOCK + 1, BLOCK):
        began = time.process_time()
        for environ in rest[start:start + BLOCK]:
            arrive(environ)
        blocks.append((time.process_time() - began) * 1e6 / BLOCK)
    blocks.sort()
    print(f"{'floor' if args.floor else 'dutyline'}: CPU per arrival, blocks of {BLOCK}: "
          f"quickest {blocks[0]:.0f} us, median {blocks[len(blocks) // 2]:.0f} us")


if __name__ == "__main__":
    main()
