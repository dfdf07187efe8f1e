"""The helpdesk mail goes over STARTTLS with a login when the server offers it."""

import ssl
import subprocess
from datetime import datetime, timezone

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from outbox.mail import SmtpMailer
from outbox.models import EMAIL, OutboxMessage
from tests.voicemail.test_delivery import Inbox, free_port


@pytest.fixture
def certificate(tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return key, cert


class Accounts:
    def __init__(self):
        self.logins = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login, auth_data.password) == (b"dutyline", b"s3cret/pass")
        self.logins.append((mechanism, ok, session.ssl is not None))
        return AuthResult(success=ok)


@pytest.fixture
def tls_server(certificate, monkeypatch):
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this server's certificate
    inbox, accounts, port = Inbox(), Accounts(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=accounts, auth_required=True)
    controller.start()
    yield inbox, accounts, port
    controller.stop()


def test_starttls_and_login(tls_server):
    inbox, accounts, port = tls_server
    mailer = SmtpMailer(f"smtp://dutyline:s3cret%2Fpass@127.0.0.1:{port}", "dutyline@example.com")
    mailer.send(OutboxMessage(channel=EMAIL, recipient="intake@helpdesk.example.com",
                              subject="[dutyline #1001] Voicemail", body="body\n",
                              dedupe_key="ticket:1001:mail",
                              created_at=datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)))
    assert [message["Subject"] for message in inbox.messages] == ["[dutyline #1001] Voicemail"]
    assert inbox.messages[0]["Date"] == "Tue, 01 Dec 2026 10:00:00 -0000"  # when it was queued
    assert accounts.logins and all(ok and over_tls for _, ok, over_tls in accounts.logins)
