"""What a recording callback says is checked: a bad link or length is dropped, never the message."""

import pytest

from voicemail.models import Ticket
from voicemail.recordings import recording_link, recording_seconds, recording_sid

SID = "CA" + "5" * 32
CALL = {"CallSid": SID, "From": "+447400123456", "To": "+442071838750"}
TWILIO_LINK = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"


# url                                                            kept
LINKS = [
    (TWILIO_LINK,                                                    True),
    ("https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", True),
    ("https://api.sydney.au1.twilio.com/2010-04-01/Recordings/RE1",  True),
    ("https://api.ie1.twilio.com/2010-04-01/Recordings/RE1",         True),
    ("https://evil.example.net/2010-04-01/Recordings/RE1",           False),
    ("javascript:alert(1)",                                          False),
    ("http://api.twilio.com/2010-04-01/Recordings/RE1",              False),  # not https
    ("https://api.twilio.com.evil.example.net/Recordings/RE1",       False),
    ("https://evil.example.net/?https://api.twilio.com/",            False),
    ("https://user@api.twilio.com/Recordings/RE1",                   False),
    ("https://api.twilio.com:8443/Recordings/RE1",                   False),
    ("https://eviltwilio.com/Recordings/RE1",                        False),
    ("https://[::1/Recordings",                                      False),  # does not parse
]


@pytest.mark.parametrize("url, kept", LINKS)
def test_only_twilio_recording_hosts_are_kept(url, kept):
    assert recording_link(url) == (url if kept else None)


@pytest.mark.parametrize("value, seconds", [
    ("42", 42), (" 7 ", 7), ("0", 0), ("", None), (None, None), ("99999999999", None),
    ("²", None), ("٣", None), ("-5", None), ("4.5", None), ("12abc", None)])
def test_a_length_that_does_not_parse_is_none(value, seconds):
    assert recording_seconds(value) == seconds


@pytest.mark.parametrize("value, sid", [
    ("RE" + "a" * 32, "RE" + "a" * 32), ("RE\x00" + "a" * 32, None), ("RE" + "a" * 80, None),
    ("", None)])
def test_a_recording_sid_is_letters_and_digits(value, sid):
    assert recording_sid(value) == sid


def test_a_foreign_link_is_not_kept_but_the_ticket_is(twilio, db, caplog):
    twilio.post("/voice/incoming", CALL)
    response = twilio.post("/voice/recorded", {**CALL, "RecordingDuration": "12",
                                               "RecordingUrl": "https://evil.example.net/r.mp3"})
    assert "ticket number 1 0 0 1" in response.get_data(as_text=True)
    ticket = Ticket.get()
    assert (ticket.recording_url, ticket.recording_seconds) == (None, 12)
    assert "not a Twilio recording link" in caplog.text
    # Twilio's own link, in the recording-status callback, still completes the ticket
    twilio.post("/voice/recording-status", {**CALL, "RecordingSid": "RE" + "1" * 32,
                                            "RecordingUrl": TWILIO_LINK,
                                            "RecordingStatus": "completed"})
    assert Ticket.get().recording_url == TWILIO_LINK


@pytest.mark.parametrize("duration", ["99999999999", "²", "1e9"])
def test_a_length_that_does_not_fit_keeps_the_ticket(twilio, db, duration):
    twilio.post("/voice/incoming", CALL)
    response = twilio.post("/voice/recorded", {**CALL, "RecordingUrl": TWILIO_LINK,
                                               "RecordingDuration": duration})
    assert "ticket number 1 0 0 1" in response.get_data(as_text=True)
    ticket = Ticket.get()
    assert (ticket.recording_url, ticket.recording_seconds) == (TWILIO_LINK, None)


def test_a_nul_in_the_transcript_keeps_the_transcript(twilio, db):
    twilio.post("/voice/incoming", CALL)
    twilio.post("/voice/transcription", {**CALL, "TranscriptionStatus": "completed",
                                         "TranscriptionText": "Printer\x00 on fire.",
                                         "RecordingSid": "RE" + "1" * 32})
    assert Ticket.get().transcript == "Printer on fire."


def test_a_recording_sid_another_ticket_has_does_not_lose_the_message(twilio, db):
    other = {**CALL, "CallSid": "CA" + "6" * 32}
    status = {"RecordingSid": "RE" + "1" * 32, "RecordingUrl": TWILIO_LINK,
              "RecordingStatus": "completed", "RecordingDuration": "9"}
    for call in (CALL, other):
        twilio.post("/voice/incoming", call)
        assert twilio.post("/voice/recording-status", {**call, **status}).status_code == 200
    assert Ticket.select().count() == 2
    response = twilio.post("/voice/recorded", {**other, "RecordingUrl": TWILIO_LINK,
                                               "RecordingDuration": "9"})
    assert "ticket number 1 0 0 2" in response.get_data(as_text=True)
    assert Ticket.select().count() == 2
