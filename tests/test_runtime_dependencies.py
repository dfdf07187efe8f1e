"""The service runs on its own dependencies: README's first command installs no test extra, so
no product module may import one (`pip install -e .` and `dutyline demo` must work)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ["dutyline", "hours", "outbox", "customers", "rota", "telephony", "voicemail",
           "calendars", "inbox", "reports", "accounts", "web", "webhooks", "console"]
TEST_ONLY = {"pytest", "hypothesis", "aiosmtpd", "responses", "lxml", "vobject", "radicale",
             "ical", "selenium", "ruff"}


def imported_roots(path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


def test_no_product_module_imports_a_test_only_package():
    found = sorted(f"{path.relative_to(ROOT)}: {name}"
                   for package in PRODUCT
                   for path in (ROOT / package).rglob("*.py")
                   for name in set(imported_roots(path)) & TEST_ONLY)
    assert found == []
