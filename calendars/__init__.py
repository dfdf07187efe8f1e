"""iCalendar feeds of the rota and the handovers."""
