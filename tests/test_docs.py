"""The documents a newcomer reads match the code: every variable, setting and command."""

import difflib
import re
import tomllib
from pathlib import Path

from console import reference_docs
from console.main import main
from dutyline.environment import VARIABLES
from dutyline.settings import KEYS, parse_settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
REMAKE = "run .venv/bin/python -m console.reference_docs"


def same(written, made, name):
    """Assert a generated text is as made; else show what it should be, as a diff."""
    diff = "".join(difflib.unified_diff(written.splitlines(True), made.splitlines(True),
                                        f"{name} as written", f"{name} as made"))
    assert written == made, f"{name} differs from its description ({REMAKE}):\n{diff}"


def test_readme_environment_table_is_made_from_the_description():
    same(reference_docs.readme_block(README, "environment"), reference_docs.environment_table(),
         "README's environment table")


def test_env_example_is_made_from_the_description():
    example = (ROOT / ".env.example").read_text()
    same(example, reference_docs.env_example(), ".env.example")
    for variable in VARIABLES:  # ready to uncomment
        assert re.search(rf"^# {variable.name}=", example, re.M), variable.name


def test_readme_settings_block_is_made_from_the_description():
    block = reference_docs.readme_block(README, "settings")
    same(block, reference_docs.settings_example(), "README's settings block")
    written = tomllib.loads(block.removeprefix("```toml\n").removesuffix("```\n"))
    assert set(written) | {key.name for key in KEYS if key.default is None} == \
        {key.name for key in KEYS}
    assert parse_settings(written) == parse_settings({})  # the defaults, as it says


def test_every_command_is_in_readme():
    listed = README.split("## Command line", 1)[1].split("```", 2)[1]
    for name, command in main.commands.items():
        subcommands = getattr(command, "commands", {name: None})
        for sub in subcommands:
            words = f"dutyline {name}" if sub == name else f"dutyline {name} {sub}"
            line = next((line for line in listed.splitlines()
                         if line.startswith(f"dutyline {name}")), "")
            assert line, f"{words} missing from README"
            if sub != name:
                lines = [line for line in listed.splitlines() if line.startswith(f"dutyline {name} ")]
                assert any(re.search(rf"(^dutyline {name} |\| ){re.escape(sub)}\b", line)
                           for line in lines), f"{words} missing from README"


def test_every_documented_web_command_reads_the_shipped_gunicorn_configuration():
    documents = {"Procfile": (ROOT / "Procfile").read_text(), "README.md": README,
                 "docs/operations.md": (ROOT / "docs" / "operations.md").read_text()}
    for name, text in documents.items():
        commands = re.findall(r"gunicorn [^`]*?webhooks:create_app\(\)", text)
        assert commands, name
        for command in commands:
            assert re.search(r"-c \S*gunicorn\.conf\.py", command), (name, command)
