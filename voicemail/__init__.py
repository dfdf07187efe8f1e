"""Tickets from voicemail, and who hears of them."""
