"""Shared plumbing for dutyline: the database handle, settings and phone numbers."""
