"""The call itself: the route decision, the hunt every strategy shares, TwiML, the call log."""
