"""The dial steps come from a rendered shape with the leg and number filled in: they must be
exactly what the TwiML library renders for each call."""

from dataclasses import replace

from hypothesis import given, settings as hypothesis_settings, strategies as st
from twilio.twiml.voice_response import VoiceResponse

from dutyline.settings import Settings
from telephony import twiml
from telephony.routing import HUNT, PRIMARY, Target
from telephony.steps import Ring, Step
from tests.conftest import assert_valid_twiml
from webhooks.runtime import Runtime


def library_dial(greeting, target, leg_id, url, settings, caller_id=None):
    """The document as the library renders it, verb by verb, for this very call."""
    response = VoiceResponse()
    if greeting:
        response.say(greeting, voice=settings.voice, language=settings.language)
    return str(twiml.add_dial(response, target, leg_id, url, settings, caller_id=caller_id))


numbers = st.one_of(st.from_regex(r"\A\+[1-9][0-9]{6,14}\Z"),
                    st.text(min_size=1, max_size=20))  # whatever a number column holds
bases = st.sampled_from(["https://support.example.com", "http://127.0.0.1:5000/",
                         "https://example.com/dutyline?x=1&y=2"])


@hypothesis_settings(max_examples=300, deadline=None)
@given(greeting=st.one_of(st.none(), st.text(max_size=80)), number=numbers,
       leg_id=st.integers(min_value=1, max_value=2**53), base=bases,
       ring=st.integers(min_value=5, max_value=120),
       voice=st.sampled_from(["Polly.Amy", "alice", 'Polly.<"&>']),
       role=st.sampled_from([HUNT, PRIMARY]),
       caller=st.one_of(st.none(), st.from_regex(r"\A\+[1-9][0-9]{6,14}\Z")))
def test_dial_steps_are_what_the_library_renders(greeting, number, leg_id, base, ring, voice,
                                                 role, caller):
    settings = replace(Settings(), ring_seconds=ring, voice=voice)
    url = Runtime(settings=settings, clock=None, validator=None, public_url=base,
                  fallback_number=None).url
    target = Target(7, "Ben Smith", number, role, 3)
    expected = library_dial(greeting, target, leg_id, url, settings, caller_id=caller)
    got = twiml.render(Step(ring=Ring(target, leg_id, caller), greeting=greeting), url, settings)
    assert str(got) == expected


def test_a_dial_step_is_valid_twiml_and_names_its_own_leg(twiml_schema):
    settings = Settings()
    url = Runtime(settings=settings, clock=None, validator=None,
                  public_url="https://support.example.com", fallback_number=None).url
    first = str(twiml.render(Step(ring=Ring(Target(1, "A", "+447911123401", HUNT), 41),
                                  greeting="Hello."), url, settings))
    second = str(twiml.render(Step(ring=Ring(Target(2, "B", "+447911123402", HUNT), 42)),
                              url, settings))
    for document in (first, second):
        assert_valid_twiml(twiml_schema, document)
    assert "leg=41" in first and "+447911123401" in first and "leg=42" not in first
    assert "leg=42" in second and "+447911123402" in second and "Hello." not in second


def test_the_engineer_sees_the_callers_number_and_hears_no_digits(twiml_schema):
    settings = Settings()
    url = Runtime(settings=settings, clock=None, validator=None,
                  public_url="https://support.example.com", fallback_number=None).url
    dial = str(twiml.render(Step(ring=Ring(Target(1, "A", "+447911123401", HUNT), 41,
                                           "+447400123456")), url, settings))
    assert_valid_twiml(twiml_schema, dial)
    assert 'callerId="+447400123456"' in dial
    for label, heard in ((twiml.caller_label("ACME Ltd"), "ACME Ltd. Press 1 to accept."),
                         (twiml.caller_label(None), "Support call. Press 1 to accept.")):
        whisper = str(twiml.render_whisper(label, 41, url, settings))
        assert_valid_twiml(twiml_schema, whisper)
        assert heard in whisper and not any(ch.isdigit() for ch in heard.replace("1", ""))


def test_an_empty_greeting_says_nothing_before_the_first_ring():
    settings = Settings(greeting="")
    url = Runtime(settings=settings, clock=None, validator=None,
                  public_url="https://support.example.com", fallback_number=None).url
    document = str(twiml.render(Step(ring=Ring(Target(1, "A", "+447911123401", HUNT), 41),
                                     greeting=""), url, settings))
    assert "<Say" not in document and "<Dial" in document


@hypothesis_settings(max_examples=100, deadline=None)
@given(leg_id=st.integers(min_value=1, max_value=2**53), base=bases)
def test_dial_steps_with_callback_tokens_are_what_the_library_renders(leg_id, base):
    settings = Settings()
    url = Runtime(settings=settings, clock=None, validator=None, public_url=base,
                  fallback_number=None, callback_secret="secret").url
    target = Target(7, "Ben Smith", "+447911123401", HUNT, 3)
    expected = library_dial("Hello.", target, leg_id, url, settings)
    assert "t=" in expected
    got = twiml.render(Step(ring=Ring(target, leg_id), greeting="Hello."), url, settings)
    assert str(got) == expected
