"""What has started is history: generation, swaps and overrides leave a duty period (or an
override) that has begun as it was, unless asked explicitly to include started periods."""

from rota.engineers import RotaError


class StartedPeriod(RotaError):
    """A change that would rewrite duty that has already begun, not asked for explicitly."""


def has_started(starts_at, now):
    """True once `now` has reached `starts_at`."""
    return starts_at <= now


def minute_of(now):
    """`now` cut to the minute: a time typed to the minute for "now" has not yet passed."""
    return now.replace(second=0, microsecond=0)
