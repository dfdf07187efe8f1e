"""Fifty lines and teams on one PostgreSQL: 200 simultaneous calls, each team's round robin
its own and fair, and how long each arrival takes.

Usage: python bench/teams.py [--teams 50] [--engineers 4] [--calls 200] [--rounds 5]
                             [--spread 2.0] [--workers 4]

The world it models: one installation answering `--teams` numbers, each its own team of
`--engineers` engineers, all signed in, in office hours (the hunt one phone at a time, as
without a Twilio account for REST legs). Calls come in rounds of `--calls`, spread evenly
over the lines. Two kinds of round:

- a storm: every call of the round sent at the same instant (a barrier releases one
  client thread a call), the worst a line could see: every caller pressing dial in the
  same millisecond;
- spread: the round's calls at random instants over `--spread` seconds, as 200 customers
  calling about one outage within a couple of seconds would.

Each arrival is a signed POST /voice/incoming with its own CallSid, through gunicorn with
`--workers` sync workers, PostgreSQL (a server of its own, started here) on the same
machine. Only the arrival is measured: it is the request a caller waits on before hearing
anything; the later callbacks of a call (dial results, whisper, accept) run when its phones
ring, seconds later. Latency is measured by the client, from sending the request to
reading the whole answer. After every round, the call log is read back: each call's first
leg must ring an engineer of the call's own team, and within each team the first legs
must be shared out evenly (no engineer rung first more than once more than another).

Needs PostgreSQL's server binaries (apt-get install postgresql).
"""

import argparse
import http.client
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path
from statistics import median
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twilio.request_validator import RequestValidator  # noqa: E402

from bench.webhooks import ALWAYS_OPEN, TOKEN, cpu_seconds, serve  # noqa: E402
from dutyline.db import database, open_database  # noqa: E402
from dutyline.migrations import upgrade  # noqa: E402
from rota import engineers  # noqa: E402
from rota.models import FIRST_TEAM, Team, TeamMember  # noqa: E402
from rota.teams import add_team  # noqa: E402
from telephony import lines  # noqa: E402
from telephony.models import Call, Leg  # noqa: E402
from tests.postgres import TemporaryPostgres  # noqa: E402

START = datetime(2025, 1, 1, tzinfo=timezone.utc)


def line_number(n):
    return f"+4420718{n:05d}"


def seed(url, teams, per_team):
    """`teams` teams, each with `per_team` engineers signed in and a line of its own."""
    open_database(url)
    upgrade()
    with database.connection_context():
        first = Team.get_by_id(FIRST_TEAM)
        for t in range(teams):
            team = first if t == 0 else add_team(f"Team {t}", START)
            for e in range(per_team):
                name = f"Engineer {t}-{e}"
                engineers.add_engineer(name, f"+447911{t:03d}{e:03d}", region="GB", now=START,
                                       team_id=team.id)
                engineers.set_signed_in(name, True, now=START)
            lines.add_line(line_number(t), "GB", START, team=team)
        database.execute_sql("ANALYZE")
    database.close()


class Client:
    """Signed arrivals from threads, each with a connection of its own."""

    def __init__(self, base):
        self.base = base
        self.parts = urlsplit(base)
        self.validator = RequestValidator(TOKEN)
        self.counter = 0
        self.lock = threading.Lock()

    def form(self, to):
        with self.lock:
            self.counter += 1
            n = self.counter
        return {"CallSid": f"CA{n:032x}", "From": f"+447400{n % 1000000:06d}", "To": to,
                "CallStatus": "ringing"}

    def arrive(self, form):
        """(seconds taken, HTTP status) of one arrival."""
        url = self.base + "/voice/incoming"
        body = urlencode(form)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": self.validator.compute_signature(url, form)}
        connection = http.client.HTTPConnection(self.parts.hostname, self.parts.port,
                                                timeout=30)
        connection.connect()
        began = time.perf_counter()
        connection.request("POST", "/voice/incoming", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        taken = time.perf_counter() - began
        connection.close()
        return taken, response.status


def play_round(client, numbers, calls, spread):
    """One round: `calls` arrivals over the lines, at once (spread 0) or over `spread` s."""
    forms = [client.form(numbers[i % len(numbers)]) for i in range(calls)]
    delays = [0.0] * calls if spread == 0 else sorted(random.uniform(0, spread)
                                                      for _ in range(calls))
    results = [None] * calls
    barrier = threading.Barrier(calls)

    def run(i):
        barrier.wait()
        if delays[i]:
            time.sleep(delays[i])
        results[i] = client.arrive(forms[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def check_fairness(url):
    """(calls whose first leg rang another team's engineer, the largest spread of first
    legs between two engineers of a team)."""
    open_database(url)
    with database.connection_context():
        members = defaultdict(set)
        for row in TeamMember.select():
            members[row.team_id].add(row.engineer_id)
        first = Counter()
        strangers = 0
        for call_team, engineer in (Leg.select(Call.team, Leg.engineer).join(Call)
                                    .where(Leg.step == 0).tuples()):
            if engineer not in members[call_team]:
                strangers += 1
            first[(call_team, engineer)] += 1
        spread = 0
        for team, people in members.items():
            counts = [first[(team, person)] for person in people]
            spread = max(spread, max(counts) - min(counts))
    database.close()
    return strangers, spread


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=50)
    parser.add_argument("--engineers", type=int, default=4)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--spread", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="dutyline-bench-teams-")
    settings = Path(tmp) / "dutyline.toml"
    settings.write_text('hunt = "sequential"\n' + ALWAYS_OPEN)
    postgres = TemporaryPostgres().start()
    try:
        url = postgres.new_database()
        seed(url, args.teams, args.engineers)
        env = {"DATABASE_URL": url, "TWILIO_AUTH_TOKEN": TOKEN,
               "DUTYLINE_SETTINGS": str(settings), "PYTHONPATH": str(ROOT)}
        process, base = serve("webhooks:create_app()", env, args.workers, tmp)
        postmaster = int(Path(postgres.data, "postmaster.pid").read_text().split()[0])
        try:
            client = Client(base)
            numbers = [line_number(t) for t in range(args.teams)]
            # warm the workers: as many calls to each line as it has engineers, so the first
            # legs stay evenly shared for the check at the end
            play_round(client, numbers, args.teams * args.engineers, 1.0)
            table = []
            for kind, spread in (("storm", 0.0), (f"spread over {args.spread:g} s", args.spread)):
                taken, statuses = [], Counter()
                before = (cpu_seconds(process.pid), cpu_seconds(postmaster),
                          time.process_time())
                for _ in range(args.rounds):
                    for seconds, status in play_round(client, numbers, args.calls, spread):
                        taken.append(seconds * 1000)
                        statuses[status] += 1
                after = (cpu_seconds(process.pid), cpu_seconds(postmaster), time.process_time())
                cpu = [(b - a) * 1000 / len(taken) for a, b in zip(before, after)]
                table.append((kind, len(taken), median(taken), percentile(taken, 0.99),
                              max(taken), cpu, statuses))
        finally:
            process.terminate()
            process.wait(timeout=20)
        strangers, spread = check_fairness(url)
    finally:
        postgres.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{args.teams} teams and lines, {args.engineers} engineers each, rounds of "
          f"{args.calls} calls, gunicorn -w {args.workers}, PostgreSQL, {os.cpu_count()} cores\n")
    print(f"{'arrivals':<20} {'calls':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
          f"{'CPU ms a call: app':>19} {'database':>9} {'client':>7}  answers")
    for kind, count, p50, p99, worst, cpu, statuses in table:
        answers = ", ".join(f"{n} × {status}" for status, n in sorted(statuses.items()))
        print(f"{kind:<20} {count:>6} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f} {cpu[0]:>19.2f} "
              f"{cpu[1]:>9.2f} {cpu[2]:>7.2f}  {answers}")
    print("\nCPU a call: gunicorn's processes, PostgreSQL's, and this client's own threads, all"
          "\non the same cores. The last of a storm's arrivals waits for the work of those"
          "\nbefore it: about calls x (app + database + client) / cores.")
    print(f"\nfirst legs ringing another team's engineer: {strangers}")
    print(f"largest gap between two engineers of a team in first legs: {spread}")


if __name__ == "__main__":
    main()
