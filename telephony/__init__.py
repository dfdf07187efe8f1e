"""The call itself: business hours, hunt order, the route decision, TwiML, the call log."""
