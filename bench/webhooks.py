"""/voice/incoming through gunicorn under 50 connections, against a bare Flask endpoint.

Usage: python bench/webhooks.py [--seconds 10] [--workers 4] [--big-log 1000000]
                                [--backends sqlite,postgresql] [--no-floor]
                                [--floor-without-write]

Prints p50 and p99 latency, requests per second and the server's CPU time per request
for dutyline on SQLite and PostgreSQL with 1,000 and with --big-log rows in the call log,
each beside the bare endpoint measured the same way in the same run, and the floor
(bench/floor_app.py): an arrival's essential work alone, the most any implementation that
logs each call could reach here. Needs wrk (apt-get install wrk) and PostgreSQL's server
binaries (apt-get install postgresql). Every request is a new call with its own CallSid,
signed as Twilio signs it.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from dutyline.db import database, open_database
from dutyline.migrations import upgrade  # noqa: E402
from reports.models import ReportUnit  # noqa: E402
from rota import engineers  # noqa: E402
from tests.postgres import TemporaryPostgres, _free_port  # noqa: E402

TOKEN = "bench-token"
ALWAYS_OPEN = 'holidays = ""\n[hours]\n' + "".join(
    f'{day} = "00:00-24:00"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
REQUESTS_PER_THREAD = 60000


def seed(url, log_rows):
    """Engineers signed in, and `log_rows` old calls in the log."""
    open_database(url)
    upgrade()
    with database.connection_context():
        start = datetime(2025, 1, 1, tzinfo=timezone.utc)
        for n in range(5):
            engineers.add_engineer(f"Engineer {n}", f"+4479111234{n:02d}", region="GB", now=start)
            engineers.set_signed_in(f"Engineer {n}", True, now=start)
        if url.startswith("postgres"):
            database.execute_sql(
                'INSERT INTO "call" (sid, from_number, to_number, started_at, mode, status, gated) '
                "SELECT 'CAold' || g, '+447400123456', '+442071838750', "
                "%s::timestamp + g * interval '1 minute', 'in_hours', 'answered', false "
                "FROM generate_series(1, %s) AS g", (start.replace(tzinfo=None), log_rows))
        else:
            database.execute_sql(
                'WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?) '
                'INSERT INTO "call" (sid, from_number, to_number, started_at, mode, status, gated) '
                "SELECT 'CAold' || n, '+447400123456', '+442071838750', "
                "datetime(?, '+' || n || ' minutes'), 'in_hours', 'answered', 0 FROM g",
                (log_rows, start.replace(tzinfo=None).isoformat(sep=" ")))
        database.execute_sql('INSERT INTO "hunt_position" ("id", "last_rotation", "version") '
                             "VALUES (1, 0, 0)")
        keep_report_units(datetime.now(timezone.utc))
        database.execute_sql("ANALYZE")
    database.close()


def keep_report_units(now, days=92):
    """The kept figures a line whose reports are read has: the hours, days and months of the
    `days` before now that are over (only those are kept; each changed call and leg from
    before the last one's end makes triggers forget the ones it falls in)."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    units, start = [], hour - timedelta(days=days)
    while start < hour:
        units.append(("hour", start, start + timedelta(hours=1)))
        if start.hour == 0:
            units.append(("day", start, start + timedelta(days=1)))
            if start.day == 1:
                units.append(("month", start, (start + timedelta(days=32)).replace(day=1)))
        start += timedelta(hours=1)
    units = [unit for unit in units if unit[2] <= hour]
    ReportUnit.insert_many([{"level": level, "starts_at": begins, "ends_at": ends,
                             "basis": "bench",
                             "total": "{}", "engineers": "{}", "customers": "{}"}
                            for level, begins, ends in units]).execute()


def lua_script(path, base, threads):
    """A wrk script whose every request is a new call, signed for its own body.

    The signed bodies go to a data file that each wrk thread reads at start (a Lua chunk
    may hold only 65,536 constants).
    """
    validator = RequestValidator(TOKEN)
    url = base + "/voice/incoming"
    total = REQUESTS_PER_THREAD * threads
    data = path + ".data"
    with open(data, "w") as handle:
        for i in range(total):
            form = {"CallSid": f"CA{i:032x}", "From": "+447400123456",
                    "To": "+442071838750", "CallStatus": "ringing"}
            handle.write(f"{validator.compute_signature(url, form)} {urlencode(form)}\n")
    Path(path).write_text(f"""
local signatures, bodies, counter, threads = {{}}, {{}}, 1, 0
local step, statuses = {threads}, {{}}
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args)
  for line in io.lines("{data}") do
    local signature, body = line:match("^(%S+) (.*)$")
    signatures[#signatures + 1] = signature
    bodies[#bodies + 1] = body
  end
  counter = id
end
function request()
  local i = counter
  counter = counter + step
  if counter > #bodies then counter = counter - #bodies end
  return wrk.format("POST", "/voice/incoming", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = signatures[i]}}, bodies[i])
end
""")


def serve(app_spec, env, workers, cwd):
    port = _free_port()
    process = subprocess.Popen(
        # sync workers for every endpoint, whatever gunicorn.conf.py says for production:
        # the floor's one SQLite connection is not for threads, and the rows stay comparable
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync", "--threads", "1",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(cwd), app_spec],
        env={**os.environ, **env, "PUBLIC_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # the server answers
        except OSError:
            time.sleep(0.2)
    return process, f"http://127.0.0.1:{port}"


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """CPU time (user + system) of a process and its children still running, in seconds.

    On a machine shared with other work, throughput moves with the load; the CPU an
    endpoint spends per request does much less.
    """
    total = 0.0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
            for task in Path(f"/proc/{current}/task").iterdir():
                pids.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run_wrk(base, seconds, script):
    finished = subprocess.run(["wrk", "-t2", "-c50", f"-d{seconds}s", "--latency", "-s", script,
                               base], capture_output=True, text=True, check=True)
    if finished.stderr.strip():  # a script error makes wrk fall back to plain GETs
        raise RuntimeError(f"wrk: {finished.stderr.strip()}")
    out = finished.stdout

    def latency(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50": latency("50%"), "p99": latency("99%"), "rps": rps, "requests": requests,
            "errors": int(errors.group(1)) if errors else 0}


def measure(label, app_spec, env, args, tmp, cwd):
    process, base = serve(app_spec, env, args.workers, cwd)
    try:
        script = os.path.join(tmp, f"{label}.lua")
        lua_script(script, base, 2)
        before = cpu_seconds(process.pid)
        result = run_wrk(base, args.seconds, script)
        result["cpu_ms"] = (cpu_seconds(process.pid) - before) * 1000 / max(result["requests"], 1)
        return result
    finally:
        process.terminate()
        process.wait(timeout=20)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--big-log", type=int, default=1_000_000,
                        help="rows in the call log of the second run (0: no second run)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--no-floor", dest="floor", action="store_false",
                        help="skip the floor: an arrival's essential work alone, on SQLite")
    parser.add_argument("--floor-without-write", action="store_true",
                        help="also the floor with its write transaction left out")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = tempfile.mkdtemp(prefix="dutyline-bench-")
    settings = Path(tmp) / "dutyline.toml"
    settings.write_text(ALWAYS_OPEN)
    postgres = TemporaryPostgres().start()
    rows = []
    try:
        bare = measure("bare", "bench.bare_app:create_app()", {"PYTHONPATH": str(ROOT)}, args,
                       tmp, str(ROOT))
        rows.append(("bare Flask, fixed TwiML", "-", bare, bare))
        if args.floor:
            url = f"sqlite:///{tmp}/floor.db"
            seed(url, 1000)
            floor = measure("floor", "bench.floor_app:create_app()",
                            {"PYTHONPATH": str(ROOT), "DATABASE_URL": url,
                             "TWILIO_AUTH_TOKEN": TOKEN}, args, tmp, str(ROOT))
            rows.append(("floor (see floor_app.py)", "1,000", floor, bare))
            if args.floor_without_write:
                without = measure("floor-without-write", "bench.floor_app:create_app()",
                                  {"PYTHONPATH": str(ROOT), "DATABASE_URL": url,
                                   "TWILIO_AUTH_TOKEN": TOKEN, "FLOOR_WITHOUT_WRITE": "1"},
                                  args, tmp, str(ROOT))
                rows.append(("floor without its write", "1,000", without, bare))
        for backend in args.backends.split(","):
            for log_rows in [1000] + ([args.big_log] if args.big_log else []):
                if backend == "sqlite":
                    url = f"sqlite:///{tmp}/bench-{log_rows}.db"
                else:
                    url = postgres.new_database()
                seed(url, log_rows)
                env = {"DATABASE_URL": url, "TWILIO_AUTH_TOKEN": TOKEN,
                       "DUTYLINE_SETTINGS": str(settings), "PYTHONPATH": str(ROOT)}
                result = measure(f"{backend}-{log_rows}", "webhooks:create_app()", env, args,
                                 tmp, tmp)
                rows.append((f"dutyline, {backend}", f"{log_rows:,}", result, bare))
    finally:
        postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n/voice/incoming, gunicorn -w {args.workers}, wrk -t2 -c50 -d{args.seconds}s, "
          f"{os.cpu_count()} cores\n")
    print(f"{'endpoint':<26} {'call log':>10} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} "
          f"{'p50 ×bare':>10} {'req/s ÷bare':>12} {'errors':>7} {'CPU ms/req':>11}")
    for name, log_rows, result, base in rows:
        print(f"{name:<26} {log_rows:>10} {result['p50']:>8.2f} {result['p99']:>8.2f} "
              f"{result['rps']:>8.0f} {result['p50'] / base['p50']:>10.2f} "
              f"{result['rps'] / base['rps']:>12.0%} {result['errors']:>7} "
              f"{result['cpu_ms']:>11.2f}")
    print("\nCPU ms/req: the server's processes (gunicorn's master and workers), user + system;"
          "\nPostgreSQL's own processes are not in it.")


if __name__ == "__main__":
    main()
