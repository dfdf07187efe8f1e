"""Callback URLs carry their values back unchanged, whatever the values are."""

from urllib.parse import parse_qsl, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from webhooks.callback_tokens import TOKEN_PARAM, callback_token
from webhooks.runtime import Runtime

RUNTIME = Runtime(settings=None, clock=None, validator=None,
                  public_url="https://support.example.com/", fallback_number=None,
                  callback_secret="auth-token")


@given(leg=st.integers(min_value=0, max_value=2**63), note=st.text())
def test_a_callback_url_gives_back_what_it_was_written_with(leg, note):
    url = RUNTIME.url("dial_result", leg=leg, note=note)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == \
        "https://support.example.com/voice/dial-result"
    assert dict(parse_qsl(parts.query, keep_blank_values=True)) == {
        "leg": str(leg), "note": note, TOKEN_PARAM: callback_token("auth-token", "leg", leg)}
