"""A caller and engineers on an overlapped hunt, played one signed callback at a time.

Each method is one request Twilio would make, signed as Twilio signs it; the answer is
closed as a server closes it, so the legs the app starts or stops after answering are
started or stopped (through the recording dialer) before the next request.
"""

from datetime import timedelta

from rota.models import Engineer
from telephony.models import Call, Leg

CALLER = "+447400123456"
LINE = "+442071838750"


class Line:
    def __init__(self, twilio, callback_url, clock, dialer, sid="CA" + "1" * 32):
        self.twilio, self.url, self.clock, self.dialer = twilio, callback_url, clock, dialer
        self.sid = sid
        self.arrived = None
        self.call = None

    def post(self, url, params):
        response = self.twilio.post(url, params)
        assert response.status_code == 200, (url, response.status_code)
        body = response.get_data(as_text=True)
        response.close()
        return body

    def later(self, seconds):
        self.clock.set(self.clock() + timedelta(seconds=seconds))

    # -- the caller ---------------------------------------------------------------------
    def arrive(self):
        self.arrived = self.clock()
        body = self.post("/voice/incoming", {"CallSid": self.sid, "From": CALLER, "To": LINE,
                                             "CallStatus": "ringing"})
        self.call = Call.get_or_none(Call.sid == self.sid)
        return body

    def waited(self):
        return int((self.clock() - self.arrived).total_seconds())

    def tick(self):
        """The queue's wait URL fetched: what the caller hears next."""
        return self.post(self.url("queue_wait", call=self.call.id),
                         {"CallSid": self.sid, "QueueTime": str(self.waited())})

    def tick_until(self, seconds):
        """A tick a second until `seconds` after arrival; the last answer."""
        body = None
        while self.waited() < seconds:
            self.later(1)
            body = self.tick()
        return body

    def queue_result(self, result):
        return self.post(self.url("queue_result", call=self.call.id),
                         {"CallSid": self.sid, "QueueResult": result,
                          "QueueTime": str(self.waited())})

    def hangs_up(self):
        return self.post("/voice/status", {"CallSid": self.sid, "CallStatus": "completed",
                                           "CallDuration": str(self.waited())})

    # -- the engineers --------------------------------------------------------------------
    def leg(self, name):
        return (Leg.select().join(Call).switch(Leg).join(Engineer)
                .where(Call.sid == self.sid, Engineer.name == name).get())

    def rung(self):
        """Names of the engineers whose legs were started, in order."""
        return [leg.engineer.name for leg in Leg.select().join(Call).where(Call.sid == self.sid)
                .order_by(Leg.step) if leg.child_sid]

    def picks_up(self, name):
        leg = self.leg(name)
        return self.post(self.url("leg_whisper", leg=leg.id),
                         {"CallSid": leg.child_sid, "CallStatus": "in-progress"})

    def presses_1(self, name):
        leg = self.leg(name)
        return self.post(self.url("leg_accept", leg=leg.id),
                         {"CallSid": leg.child_sid, "CallStatus": "in-progress", "Digits": "1"})

    def leg_status(self, name, status):
        leg = self.leg(name)
        return self.post(self.url("leg_status", leg=leg.id),
                         {"CallSid": leg.child_sid, "CallStatus": status})

    def join_result(self, name, status):
        leg = self.leg(name)
        return self.post(self.url("join_result", leg=leg.id),
                         {"CallSid": leg.child_sid, "DialCallStatus": status})

    def stopped(self):
        """{engineer name: how many times their leg was stopped}."""
        names = {leg.child_sid: leg.engineer.name
                 for leg in Leg.select().join(Call).where(Call.sid == self.sid) if leg.child_sid}
        counts = {}
        for sid, _ringing in self.dialer.stopped:
            if sid in names:
                counts[names[sid]] = counts.get(names[sid], 0) + 1
        return counts

    def outcomes(self):
        return {leg.engineer.name: leg.outcome
                for leg in Leg.select().join(Call).where(Call.sid == self.sid)}

    def fresh(self):
        return Call.get(Call.sid == self.sid)
