"""Customers, their phone numbers and their support contracts."""
