"""README's environment table and settings block, and `.env.example`, made from the
descriptions in dutyline/environment.py and dutyline/settings.py.

    .venv/bin/python -m console.reference_docs      # rewrite them after changing either

tests/test_docs.py fails when the files differ from what this makes.
"""

import json
import re
import textwrap
from pathlib import Path

from dutyline.environment import SECTIONS, VARIABLES
from dutyline.settings import KEYS

ROOT = Path(__file__).resolve().parents[1]
README, ENV_EXAMPLE = ROOT / "README.md", ROOT / ".env.example"
MAKER = "made by python -m console.reference_docs from"
BLOCKS = {  # README's generated blocks: name -> (the description it is made from, maker)
    "environment": "dutyline/environment.py",
    "settings": "dutyline/settings.py",
}


def _default(variable):
    if variable.default is not None:
        shown = f"`{variable.default}`"
        return f"{shown} ({variable.unset})" if variable.unset else shown
    return variable.unset or "none"


def environment_table():
    """README's table of environment variables."""
    rows = ["| variable | meaning | default |", "|---|---|---|"]
    for variable in VARIABLES:
        name = f"`{variable.name}`" + (" (secret)" if variable.secret else "")
        rows.append(f"| {name} | {variable.meaning} | {_default(variable)} |")
    return "\n".join(rows) + "\n"


def plain(markdown):
    """Markdown's words without its marks: links become their text, code loses its quotes."""
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", markdown).replace("`", "")


def _comment(text):
    return "".join(f"# {line}\n" for line in textwrap.wrap(text, 88, break_on_hyphens=False))


def env_example():
    """The whole of `.env.example`."""
    parts = [_comment("dutyline reads a .env file in the directory it runs in; copy this file "
                      "to .env and uncomment what you need. Variables already set in the "
                      "environment win over the file. Made from dutyline/environment.py by "
                      "python -m console.reference_docs (README's table is made alike).")]
    for title, variables in SECTIONS:
        parts.append(f"\n# --- {title} ---\n")
        for variable in variables:
            unset = plain(_default(variable))
            secret = " A secret: keep it out of version control and logs." \
                if variable.secret else ""
            meaning = plain(variable.meaning)
            stop = "" if meaning.endswith("…") else "."
            text = f"{variable.name}: {meaning}{stop} Unset: {unset}.{secret}"
            examples = "".join(f"# {variable.name}={example}\n" for example in variable.examples)
            parts.append("\n" + _comment(text) + examples)
    return "".join(parts)


def _toml(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


COMMENT_AT, WIDTH = 31, 96  # README's settings block: where comments start, how wide it is


def _line(assignment, key):
    """`assignment` with the key's help (and its range or choices) as a comment, wrapped
    onto lines of their own at the comment's column."""
    summary = (key.kind.summary or "").replace(" ", "\0")  # kept on one line
    comment = key.help + (f"; {summary}" if summary else "")
    start = max(COMMENT_AT, len(assignment) + 1)
    first, *rest = textwrap.wrap(comment, WIDTH - start - 2, break_on_hyphens=False)
    rest = textwrap.wrap(" ".join(rest), WIDTH - COMMENT_AT - 2, break_on_hyphens=False)
    lines = [f"{assignment:<{start - 1}} # {first}"]
    lines += [f"{'':<{COMMENT_AT - 1}} # {line}" for line in rest]
    return "\n".join(lines).replace("\0", " ")


def settings_example():
    """README's settings file: every key with its default (or, when left out by default, an
    example, commented out), and its help."""
    lines, tables = ["```toml"], []
    for key in KEYS:
        if isinstance(key.default, dict):
            tables.append(key)
        elif key.default is None:
            lines.append(_line(f"# {key.name} = {_toml(key.example)}", key))
        else:
            lines.append(_line(f"{key.name} = {_toml(key.default)}", key))
    for key in tables:
        lines.append("")
        lines.append(_line(f"[{key.name}]", key))
        lines.extend(f"{name} = {_toml(value)}" for name, value in key.default.items())
    return "\n".join(lines + ["```"]) + "\n"


MADE = {"environment": environment_table, "settings": settings_example}


def _markers(name):
    return (f"<!-- {name}: {MAKER} {BLOCKS[name]} -->\n", f"<!-- end of {name} -->\n")


def readme_block(text, name):
    """The text between README's markers of the block `name`."""
    start, end = _markers(name)
    if start not in text or end not in text:
        raise ValueError(f"README.md has no {start.strip()} … {end.strip()}")
    return text.split(start, 1)[1].split(end, 1)[0]


def made_readme(text):
    """README's text with its generated blocks made again."""
    for name, make in MADE.items():
        start, end = _markers(name)
        text = text.replace(start + readme_block(text, name) + end, start + make() + end)
    return text


def main():
    README.write_text(made_readme(README.read_text()))
    ENV_EXAMPLE.write_text(env_example())


if __name__ == "__main__":
    main()
