"""The dependency order of docs/architecture.md, read from the code's own imports.

Each package may import only the packages on the layers below its own; packages on one
layer do not import each other; no two files import each other, directly or round a
circle; the domain packages never import Flask; no module is longer than 300 lines.
Imports inside functions count like any other: a deferred import is still a dependency.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Bottom first. A package may import the packages of the layers below its own.
LAYERS = (
    ("dutyline",),               # settings, the database handle, phone numbers, local time
    ("hours",),                  # business hours, holidays, business time, durations
    ("outbox", "customers"),     # the outbox and its senders; customers and contracts
    ("rota",),                   # engineers, presence, duty periods, handovers, TAKE
    ("telephony", "calendars", "accounts"),  # the call and its log; the rota's calendar
                                             # feeds; web users, sign-in links, sessions
    ("voicemail",),              # tickets and who hears of them
    ("inbox", "reports"),        # engineers' text commands; the call statistics
    ("web",),                    # the web interface's pages (a blueprint)
    ("webhooks",),               # the Flask app: the Twilio endpoints, the feeds
    ("console",),                # the command line, the simulator, the demo
)
DOMAIN = ("hours", "outbox", "customers", "rota", "telephony", "calendars", "voicemail",
          "inbox", "reports", "accounts")
MAX_LINES = 300

LAYER_OF = {package: index for index, layer in enumerate(LAYERS) for package in layer}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources():
    for package in LAYER_OF:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield _module_name(path), path


MODULES = dict(_sources())


def _resolve(name):
    """The project module an import names (a package's __init__ when not a module), or None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module, path):
    """(imported name, line) for every import in the file: absolute names, resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield (full if _resolve(full) == full else base), node.lineno


def _graph():
    graph = {}
    for module, path in MODULES.items():
        edges = graph.setdefault(module, {})
        for name, line in imports_of(module, path):
            target = _resolve(name)
            if target is not None and target != module:
                edges.setdefault(target, line)
    return graph


GRAPH = _graph()


def _package(module):
    return module.partition(".")[0]


def _circles(graph):
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_project_package_has_a_layer():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")
                if path.parent.name not in ("tests", "bench")}
    assert packages - set(LAYER_OF) == set(), "add the new package to LAYERS and to " \
                                               "docs/architecture.md"


def test_imports_only_go_down_the_layers():
    wrong = []
    for module, edges in GRAPH.items():
        for target, line in edges.items():
            low, high = LAYER_OF[_package(target)], LAYER_OF[_package(module)]
            if _package(target) == _package(module) or low < high:
                continue
            wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}")
    assert wrong == [], "imports against the order of docs/architecture.md:\n" + "\n".join(wrong)


def test_no_file_imports_itself_round_a_circle():
    circles = [sorted(circle) for circle in _circles(GRAPH)]
    assert circles == [], f"files that import each other: {circles}"


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_never_import_flask(package):
    offenders = [f"{MODULES[module].relative_to(ROOT)}:{line}"
                 for module in MODULES if _package(module) == package
                 for name, line in imports_of(module, MODULES[module])
                 if name.partition(".")[0] in ("flask", "werkzeug", "click")]
    assert offenders == []


# Reading the wall clock: only the web layer and the command line do (timers are fine).
CLOCK_READS = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
               ("date", "today"), ("time", "time"), ("time", "time_ns")}


def clock_reads(path):
    """(line, call) of every read of the wall clock in the file, formatdate() included."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and (func.value.id, func.attr) in CLOCK_READS:
            yield node.lineno, f"{func.value.id}.{func.attr}()"
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "formatdate" and not node.args and not any(
                keyword.arg == "timeval" for keyword in node.keywords):
            yield node.lineno, "formatdate()"


@pytest.mark.parametrize("package", ("dutyline",) + DOMAIN)
def test_only_the_web_layer_and_the_command_line_read_the_clock(package):
    offenders = [f"{path.relative_to(ROOT)}:{line} {call}"
                 for module, path in MODULES.items() if _package(module) == package
                 for line, call in clock_reads(path)]
    assert offenders == []


def test_clock_reads_are_seen(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from datetime import datetime\nfrom email.utils import formatdate\n"
                      "a = datetime.now(timezone.utc)\nb = formatdate(localtime=False)\n"
                      "c = formatdate(stamp)\nd = time.perf_counter()\n")
    assert list(clock_reads(sample)) == [(3, "datetime.now()"), (4, "formatdate()")]


# A wall-clock time in a zone becomes an instant only in dutyline/localtime.py.
LOCAL_TIME_MODULE = "dutyline.localtime"
UTC_NAMES = {"timezone.utc", "datetime.timezone.utc", "UTC", "utc", "None"}


def local_time_conversions(path):
    """(line, call) of every wall-clock time given a zone by hand: datetime.combine() with a
    tzinfo, or .replace(tzinfo=...) with anything but UTC."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        zone = next((keyword.value for keyword in node.keywords if keyword.arg == "tzinfo"),
                    None)
        if zone is None:
            continue
        if node.func.attr == "combine" or (node.func.attr == "replace"
                                           and ast.unparse(zone) not in UTC_NAMES):
            yield node.lineno, f"{node.func.attr}(tzinfo={ast.unparse(zone)})"


def test_local_times_become_instants_only_through_localtime():
    offenders = [f"{path.relative_to(ROOT)}:{line} {call}"
                 for module, path in MODULES.items() if module != LOCAL_TIME_MODULE
                 for line, call in local_time_conversions(path)]
    assert offenders == [], "use dutyline.localtime (local_instant, local_day_span, " \
                            "wall_clock_to_utc)"


def test_only_the_holidays_module_asks_the_holidays_library():
    offenders = [f"{path.relative_to(ROOT)}:{line}"
                 for module, path in MODULES.items() if module != "dutyline.holidays"
                 for name, line in imports_of(module, path)
                 if name.partition(".")[0] == "holidays"]
    assert offenders == [], "ask dutyline.holidays (is_public_holiday, public_holidays)"


def test_phone_numbers_are_parsed_only_in_the_phones_module():
    # dutyline.phones.to_e164 takes the settings' phone_region; nothing parses on its own
    offenders = [f"{path.relative_to(ROOT)}:{node.lineno}"
                 for module, path in MODULES.items() if module != "dutyline.phones"
                 for node in ast.walk(ast.parse(path.read_text()))
                 if isinstance(node, ast.Attribute) and node.attr == "parse"
                 and isinstance(node.value, ast.Name) and node.value.id == "phonenumbers"]
    assert offenders == []


def test_local_time_conversions_are_seen(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("a = datetime.combine(day, clock, tzinfo=tz)\n"
                      "b = value.replace(tzinfo=settings.tz)\n"
                      "c = value.replace(tzinfo=timezone.utc)\n"
                      "d = value.replace(tzinfo=None)\n")
    assert list(local_time_conversions(sample)) == [
        (1, "combine(tzinfo=tz)"), (2, "replace(tzinfo=settings.tz)")]


def test_modules_stay_under_three_hundred_lines():
    lengths = {str(path.relative_to(ROOT)): len(path.read_text().splitlines())
               for path in MODULES.values()}
    assert sorted(name for name, count in lengths.items() if count > MAX_LINES) == []


# The checks themselves, on small made-up graphs: a circle is found, a chain is not.
@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b": 1}, "b": {"a": 1}}, [{"a", "b"}]),
    ({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}, [{"a", "b", "c"}]),
    ({"a": {"b": 1}, "b": {"c": 1}, "c": {}}, []),
])
def test_circles_are_found(graph, expected):
    assert [set(circle) for circle in _circles(graph)] == expected
