"""Texts in: engineers' commands to the support number."""
