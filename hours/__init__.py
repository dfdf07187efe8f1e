"""The team's week: business hours, closure days and counting business time."""
