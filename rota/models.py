"""Tables of the rota: teams, engineers, duty periods, overrides, absences and swap
requests."""

from peewee import (AutoField, BooleanField, CharField, CompositeKey, DateField,
                    ForeignKeyField, IntegerField, TextField)

from dutyline.db import BaseModel, UTCDateTimeField

OFFICE = "office"
REMOTE = "remote"
FIRST_TEAM = 1  # the team an installation starts with, and every single-team one has


def team_id(team):
    """The id of a team given as a Team or as its id (the rota's `team` parameters take
    either)."""
    return getattr(team, "id", team)


class Team(BaseModel):
    """A team: its engineers (TeamMember), its duty rota and overrides, its own round robin
    (the hunt position whose id is the team's), its calls. Its hours, greeting and hunt come
    from the settings file's table [teams."NAME"] over the top-level settings
    (dutyline.settings.team_settings)."""

    id = AutoField()
    name = CharField(unique=True)
    created_at = UTCDateTimeField(null=True)  # None for the first team, made by the upgrade


class Engineer(BaseModel):
    id = AutoField()
    name = CharField(unique=True)
    mobile = CharField()
    desk = CharField(null=True)
    # the desk phone connects the caller on pick-up, with no press-1 whisper: for a phone
    # with no voicemail of its own (never a mobile)
    desk_connects = BooleanField(default=False)
    email = CharField(null=True)
    rotation = IntegerField(index=True)  # position in the in-hours hunt
    signed_in = BooleanField(default=False)
    location = CharField(default=OFFICE)  # office | remote
    active = BooleanField(default=True)
    weekly_notice = BooleanField(default=True)  # the weekly list of next duties (opt-out)
    ring_test = BooleanField(default=True)  # the handover's ring test (off where allowed)
    # signed in as out-of-hours cover until then (UTC): rung after the duty engineer and backup
    cover_until = UTCDateTimeField(null=True)
    # when the row last changed (UTC); every write in rota/engineers.py sets it (feed markers)
    updated_at = UTCDateTimeField(null=True)

    def hunt_number(self):
        """The number to ring in hours: the desk phone in the office, else the mobile."""
        if self.location == OFFICE and self.desk:
            return self.desk
        return self.mobile

    def connects_on_pickup(self):
        """True when the number hunt_number() gives connects the caller without a whisper."""
        return bool(self.desk_connects and self.location == OFFICE and self.desk)


class TeamMember(BaseModel):
    """An engineer of a team; an engineer may belong to several."""

    team = ForeignKeyField(Team, backref="members", on_delete="CASCADE")
    engineer = ForeignKeyField(Engineer, backref="teams", on_delete="CASCADE")

    class Meta:
        primary_key = CompositeKey("team", "engineer")


class DutyPeriod(BaseModel):
    """One out-of-hours duty period of a team, from a handover to the next."""

    id = AutoField()
    team = ForeignKeyField(Team, default=FIRST_TEAM, backref="periods", index=False)
    day = DateField()  # the local date the period starts on; one period a team a day
    starts_at = UTCDateTimeField(index=True)
    ends_at = UTCDateTimeField(index=True)
    primary = ForeignKeyField(Engineer, null=True, backref="primary_periods")
    backup = ForeignKeyField(Engineer, null=True, backref="backup_periods")
    # when the row last changed (UTC); every write path sets it, so feeds can tell a change cheaply
    updated_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("team", "day"), True),)


class Override(BaseModel):
    """An engineer on duty for a team for a span, over whatever the plan says."""

    id = AutoField()
    team = ForeignKeyField(Team, default=FIRST_TEAM, backref="overrides", index=False)
    engineer = ForeignKeyField(Engineer, backref="overrides")
    starts_at = UTCDateTimeField(index=True)
    ends_at = UTCDateTimeField(index=True)
    created_at = UTCDateTimeField()


class Absence(BaseModel):
    """An engineer away (leave, training) from one instant to another."""

    id = AutoField()
    engineer = ForeignKeyField(Engineer, backref="absences")
    starts_at = UTCDateTimeField(index=True)
    ends_at = UTCDateTimeField(index=True)
    reason = TextField(default="")
    source = TextField(default="")  # "" when entered by hand, else the imported file or URL
    created_at = UTCDateTimeField()


class SwapRequest(BaseModel):
    """An engineer's request that a colleague swap days in a team's rota: the requester's
    duty period on
    `give_day` for the colleague's on `take_day`. Open while pending and before either
    period starts (`expires_at`); accepted, declined, withdrawn, or void when the rota
    changed under it."""

    id = AutoField()
    team = ForeignKeyField(Team, default=FIRST_TEAM, backref="swap_requests", index=False)
    requester = ForeignKeyField(Engineer, backref="swaps_asked")
    colleague = ForeignKeyField(Engineer, backref="swaps_offered")
    give_day = DateField()  # the local date the requester's period starts on
    take_day = DateField()  # the local date the colleague's period starts on
    status = CharField(default="pending")  # pending | accepted | declined | withdrawn | void
    created_at = UTCDateTimeField()
    expires_at = UTCDateTimeField(index=True)  # the earlier of the two periods' starts
    answered_at = UTCDateTimeField(null=True)


class RingTest(BaseModel):
    """A call to a team's incoming duty engineer's phone, at the team's handover or on
    demand: "Press 1 to confirm". Unconfirmed after the wait, the team's backup and the
    managers are told."""

    id = AutoField()
    team = ForeignKeyField(Team, default=FIRST_TEAM, backref="ring_tests", index=False)
    engineer = ForeignKeyField(Engineer, backref="ring_tests")
    duty_from = UTCDateTimeField()  # the handover the call is about ("on duty from 18:00")
    key = CharField(unique=True)  # its outbox row's dedupe key: one call per handover
    queued_at = UTCDateTimeField(index=True)
    confirmed_at = UTCDateTimeField(null=True)
    warned_at = UTCDateTimeField(null=True)  # the backup and the managers were told
