"""Tickets from voicemail."""
