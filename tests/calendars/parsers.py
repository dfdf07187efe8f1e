"""Independent readers of the feeds: vobject, ical (PyPI), Radicale's --verify-item, ical.js."""

import json
import subprocess
import sys
from datetime import timezone
from pathlib import Path

import vobject
from ical.calendar_stream import IcsCalendarStream

JS_DIR = Path(__file__).resolve().parent / "js"


def with_vobject(text):
    """Events as vobject reads and validates them: uid -> dict."""
    calendar = vobject.readOne(text, validate=True)
    found = {}
    for event in getattr(calendar, "vevent_list", []):
        found[event.uid.value] = {
            "start": event.dtstart.value.astimezone(timezone.utc),
            "end": event.dtend.value.astimezone(timezone.utc),
            "summary": event.summary.value,
            "sequence": int(event.sequence.value),
            "status": event.status.value,
            "transp": event.transp.value,
            "dtstamp": event.dtstamp.value.astimezone(timezone.utc),
        }
    return calendar, found


def with_ical(text):
    """Events as the `ical` package reads them: uid -> dict."""
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return {event.uid: {"start": event.dtstart.astimezone(timezone.utc),
                        "end": event.dtend.astimezone(timezone.utc),
                        "summary": event.summary, "sequence": event.sequence,
                        "status": event.status.value, "transp": event.transparency}
            for event in calendar.events}


def with_icaljs(paths):
    """What ical.js reads from each file, in one node process: path -> calendar dict."""
    if not (JS_DIR / "node_modules" / "ical.js").exists():
        raise AssertionError(f"ical.js is not installed: run `npm ci` in {JS_DIR}")
    result = subprocess.run(["node", str(JS_DIR / "verify.mjs"), *map(str, paths)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def split_by_uid(text):
    """One calendar object per event, as a CalDAV server stores a subscribed calendar."""
    head, _, rest = text.partition("BEGIN:VEVENT\r\n")
    tail = "END:VCALENDAR\r\n"
    blocks = [block.removesuffix(tail) for block in rest.split("BEGIN:VEVENT\r\n")] if rest else []
    return [head + "BEGIN:VEVENT\r\n" + block + tail for block in blocks]


def verify_with_radicale(paths, workdir):
    """Run `python -m radicale --verify-item` on every object of every feed; return the failures."""
    items = []
    for path in paths:
        for n, item in enumerate(split_by_uid(Path(path).read_bytes().decode("utf-8"))):
            target = Path(workdir) / f"{Path(path).stem}-{n}.ics"
            target.write_bytes(item.encode("utf-8"))
            items.append(target)
    # one interpreter runs Radicale's command line for every object (see radicale_verify.py)
    result = subprocess.run([sys.executable, str(Path(__file__).with_name("radicale_verify.py")),
                             *map(str, items)], capture_output=True, text=True, timeout=120,
                            check=False)
    statuses = dict(line.split(" ", 1)[::-1] for line in result.stdout.splitlines())
    failures = [(item.name, statuses.get(str(item)), result.stderr[-2000:]) for item in items
                if statuses.get(str(item)) != "0"]
    return items, failures
