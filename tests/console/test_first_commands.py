"""A newcomer's first commands: a slip gets one line that says what to do, and changes nothing."""

import re
import socket

from tests.console.test_cli import cli  # noqa: F401  (the fixture)


def test_user_add_without_public_url_adds_nobody(cli, monkeypatch):  # noqa: F811
    monkeypatch.delenv("PUBLIC_URL")
    refused = cli("user", "add", "mia@example.com", "--role", "manager")
    assert refused.exit_code != 0
    assert "PUBLIC_URL is not set" in refused.output
    assert "no users yet" in cli("user", "list").output  # all or nothing
    monkeypatch.setenv("PUBLIC_URL", "https://support.example.com")
    added = cli("user", "add", "mia@example.com", "--role", "manager")  # the retry works
    assert added.exit_code == 0 and "https://support.example.com/signin/link/" in added.output


def test_outbox_retry_of_an_unknown_id_says_so_and_queues_nothing(cli):  # noqa: F811
    for ids in (["999"], ["99999999999999999999999"]):
        refused = cli("outbox", "retry", *ids)
        assert refused.exit_code != 0
        assert f"no failed message with id {ids[0]}" in refused.output
        assert "nothing queued" in refused.output


def test_a_second_demo_on_a_taken_port_stops_before_playing_anything(cli, tmp_path):  # noqa: F811
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = cli("demo", "--database", str(tmp_path / "demo.db"), "--port", str(port))
    assert result.exit_code != 0
    assert f"port {port} is taken" in result.output
    assert "==" not in result.output  # no call played
    assert not (tmp_path / "demo.db").exists()


def test_help_before_db_init_is_the_help_alone(tmp_path):
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-c", "from console.main import main; main()",
                           "--help"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    assert re.search(r"^  db +The database\.$", done.stdout, re.MULTILINE), done.stdout
    assert done.stderr == ""  # no traceback about the database `db init` would make
