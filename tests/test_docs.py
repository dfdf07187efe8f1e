"""The documents a newcomer reads match the code: every variable, setting and command."""

import re
from dataclasses import fields
from pathlib import Path

from console.main import main
from dutyline.settings import Settings
from webhooks.runtime import ENV_KEYS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_every_environment_variable_is_in_env_example_and_readme():
    example = (ROOT / ".env.example").read_text()
    for key in ENV_KEYS:
        assert re.search(rf"^# {key}=", example, re.M), f"{key} missing from .env.example"
        assert f"`{key}`" in README, f"{key} missing from README's table"


def test_every_setting_is_in_readme():
    block = README.split("Team settings (TOML", 1)[1].split("```", 2)[1]
    for field in fields(Settings):
        assert re.search(rf"^(\[)?{field.name}\b", block, re.M), f"{field.name} missing"


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
