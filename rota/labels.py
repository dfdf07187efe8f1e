"""How the rota's texts and pages name an instant, in the team's zone."""


def local_label(instant, tz):
    """An instant as engineers read it in the team's time zone: '18:00 Tue 24 Nov'."""
    local = instant.astimezone(tz)
    return f"{local:%H:%M %a} {local.day} {local:%b}"


def relative_label(instant, now, tz):
    """An instant as seen from `now`: '18:00 today', '08:00 tomorrow', else local_label."""
    local, today = instant.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    if days in (0, 1):
        return f"{local:%H:%M} {'today' if days == 0 else 'tomorrow'}"
    return local_label(instant, tz)
