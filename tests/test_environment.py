"""One place reads the environment: dutyline/environment.py, with a `.env` file in the
working directory under it; every process (the web app, the commands, gunicorn's own
settings) takes its variables from there."""

import ast
import os
import runpy
from pathlib import Path

import pytest

from dutyline import environment
from tests.test_architecture import MODULES

ROOT = Path(__file__).resolve().parents[1]
READER = ROOT / "dutyline" / "environment.py"
SOURCES = [*MODULES.values(), ROOT / "gunicorn.conf.py"]


def environment_reads(path):
    """(line, what) of every look at the process environment in the file."""
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == "os" and node.attr in ("environ", "getenv", "putenv"):
            yield node.lineno, f"os.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("os", "dotenv")):
            if node.module.startswith("dotenv") or {alias.name for alias in node.names} & {
                    "environ", "getenv"}:
                yield node.lineno, f"from {node.module} import"
        elif isinstance(node, ast.Import) and any(alias.name == "dotenv" for alias in node.names):
            yield node.lineno, "import dotenv"


def test_only_the_environment_module_reads_the_environment():
    offenders = [f"{path.relative_to(ROOT)}:{line} {what}" for path in SOURCES
                 if path != READER for line, what in environment_reads(path)]
    assert offenders == [], "read variables through dutyline.environment"


def test_environment_reads_are_seen(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom dotenv import load_dotenv\na = os.environ.get('X')\n"
                      "b = os.getenv('Y')\nc = request.environ\nd = os.path.join('a')\n")
    assert sorted(line for line, _ in environment_reads(sample)) == [2, 3, 4]


def test_every_variable_the_code_names_is_described():
    named = {(path.relative_to(ROOT), node.args[0].value) for path in SOURCES
             for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and isinstance(node.func.value, ast.Name) and node.func.value.id == "environment"
             and node.func.attr in ("get", "default") and node.args
             and isinstance(node.args[0], ast.Constant)}
    assert named and {name for _, name in named} <= set(environment.VARIABLE)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """An empty working directory, and the process environment as it was afterwards (a
    `.env` file read there adds to it)."""
    saved = dict(os.environ)
    monkeypatch.chdir(tmp_path)
    for variable in environment.VARIABLES:
        os.environ.pop(variable.name, None)
    yield tmp_path
    os.environ.clear()
    os.environ.update(saved)


def test_unset_or_empty_variables_take_their_defaults(folder):
    os.environ["WEB_IDLE_MINUTES"] = ""
    config = environment.read({"SPOOL_FOLDER": None, "PUBLIC_URL": None})
    assert (config["WEB_IDLE_MINUTES"], config["SPOOL_FOLDER"], config["PUBLIC_URL"]) == \
        ("60", "dutyline-spool", None)
    assert config["DATABASE_URL"] == "sqlite:///dutyline.db"
    del os.environ["WEB_IDLE_MINUTES"]
    (folder / ".env").write_text("WEB_IDLE_MINUTES=15\nPUBLIC_URL=https://line.example.org\n")
    os.environ["PUBLIC_URL"] = "https://set.example.org"  # what is set wins over the file
    config = environment.read()
    assert (config["WEB_IDLE_MINUTES"], config["PUBLIC_URL"]) == ("15", "https://set.example.org")


def test_a_commands_log_level_comes_from_the_env_file_too(folder):
    from console.app import app_factory

    (folder / ".env").write_text(f"LOG_LEVEL=INFO\nDATABASE_URL=sqlite:///{folder / 'x.db'}\n")
    assert app_factory().config["LOG_LEVEL"] == "INFO"  # a one-shot command's default: WARNING


def test_the_web_interface_takes_its_variables_from_the_env_file(folder):
    from webhooks import create_app

    (folder / ".env").write_text(f"WEB_IDLE_MINUTES=7\nSECRET_KEY=from-the-file\n"
                                 f"DATABASE_URL=sqlite:///{folder / 'x.db'}\n")
    app = create_app()
    assert app.config["WEB_IDLE"].total_seconds() == 7 * 60
    assert app.secret_key == "from-the-file"


def test_gunicorn_settings_come_from_the_env_file_too(folder):
    (folder / ".env").write_text("GUNICORN_THREADS=7\nPORT=8123\nFORWARDED_ALLOW_IPS=10.0.0.2\n")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["threads"], conf["bind"], conf["forwarded_allow_ips"]) == \
        (7, "0.0.0.0:8123", "10.0.0.2")
