"""Benchmark: generate a year of rota for 30 engineers with leave; prints the figures.

Run from the repository root: python bench/rota_generate.py [--backup] [--engineers N]
"""

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dutyline.db import database  # noqa: E402
from dutyline.migrations import upgrade  # noqa: E402
from rota import absences, engineers  # noqa: E402
from rota.check import check_month  # noqa: E402
from rota.generate import generate_month  # noqa: E402
from rota.generate import load_plan_input  # noqa: E402
from rota.planner import plan_month  # noqa: E402
from webhooks import create_app  # noqa: E402
from webhooks.runtime import runtime  # noqa: E402

NOW = datetime(2026, 11, 1, 9, tzinfo=timezone.utc)
TARGET_SECONDS = 1.0


def build_team(count, settings, seed=7):
    """`count` engineers, each with three blocks of leave (2 to 12 days) in 2027."""
    rng = random.Random(seed)
    for n in range(count):
        name = f"Engineer {n + 1:02d}"
        engineers.add_engineer(name, f"+4479111{n:05d}", region="GB", now=NOW)
        for _ in range(3):
            first = date(2027, 1, 1) + timedelta(days=rng.randint(0, 350))
            absences.add_absence(name, first, first + timedelta(days=rng.randint(1, 11)),
                                 settings, NOW, reason="leave")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engineers", type=int, default=30)
    parser.add_argument("--backup", action="store_true", help="fill a backup for every period")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.db",
                          "TWILIO_AUTH_TOKEN": "bench", "SETTINGS": {"backup": args.backup}})
        upgrade()  # a fresh database, as `dutyline db init` makes it
        with app.app_context(), database.connection_context():
            settings = runtime().settings
            build_team(args.engineers, settings)
            months = []
            started = time.perf_counter()
            for month in range(1, 13):
                begun = time.perf_counter()
                result = generate_month(2027, month, settings, NOW)
                months.append((month, time.perf_counter() - begun, result))
            total = time.perf_counter() - started
            planning = 0.0
            for month in range(1, 13):
                given, _ = load_plan_input(2027, month, settings, replace=True)
                begun = time.perf_counter()
                plan_month(given)
                planning += time.perf_counter() - begun
            problems = sum(len(check_month(2027, month, settings)) for month in range(1, 13))
    print(f"rota generate: {args.engineers} engineers, 3 leave blocks each, "
          f"backup {'on' if args.backup else 'off'}, year 2027")
    for month, seconds, result in months:
        print(f"  2027-{month:02d}  {seconds * 1000:7.1f} ms  {result.filled:3d} filled  "
              f"{result.empty} empty  {len(result.warnings)} warnings")
    print(f"whole year (database included): {total:.3f} s  (target under {TARGET_SECONDS:.0f} s: "
          f"{'met' if total < TARGET_SECONDS else 'MISSED'})")
    print(f"planning alone:                 {planning:.3f} s")
    print(f"coverage problems after generation: {problems}")


if __name__ == "__main__":
    main()
