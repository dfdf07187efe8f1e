"""What a failed Twilio REST request means for an outbox message: DeliveryError, permanent
or to be tried again. Shared by the channels that deliver through Twilio (texts, calls)."""

from contextlib import contextmanager

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException

from outbox.senders import DeliveryError

# Answers that a later attempt can fix: the provider or the network was having a bad moment
# (408, 409, 425, 429), or our credentials are wrong (401), which an operator can put right
# without every queued message being given up at once.
RETRYABLE_STATUS = frozenset({401, 408, 409, 425, 429})


@contextmanager
def delivery_errors():
    """Around one Twilio REST request: its failure raised as DeliveryError; 5xx, the
    statuses above and network errors may be retried, any other 4xx is permanent."""
    try:
        yield
    except TwilioRestException as exc:
        permanent = exc.status < 500 and exc.status not in RETRYABLE_STATUS
        raise DeliveryError(f"twilio status={exc.status} code={exc.code}: {exc.msg}",
                            permanent=permanent) from exc
    except (requests.RequestException, TwilioException) as exc:
        raise DeliveryError(f"twilio unreachable: {exc.__class__.__name__}: {exc}") from exc
