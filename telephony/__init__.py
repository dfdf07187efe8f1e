"""The call itself: hunt order, the route decision, TwiML, the call log."""
