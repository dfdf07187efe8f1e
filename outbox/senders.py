"""What every outbox channel's sender promises."""


class DeliveryError(Exception):
    """A message that could not be handed over; `permanent` says whether a retry can help."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent
