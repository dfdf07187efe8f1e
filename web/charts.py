"""Charts as SVG made on the server: service level per day, week or month, the wait-time
distribution, and calls by weekday and hour as a heat map."""

from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 36, 34, 10
WAIT_BUCKETS = ((0, 5), (5, 10), (10, 15), (15, 20), (20, 30), (30, 60), (60, None))


def _svg(label, body, height=HEIGHT, kind="chart", role="img"):
    # sized, lettered and coloured by the stylesheet (svg.chart, svg.heat): no style
    # attribute, which the Content-Security-Policy would refuse
    return Markup(f'<svg class="{kind}" viewBox="0 0 {WIDTH} {height}" role="{role}" '
                  f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def _axis(top_label):
    bottom = HEIGHT - PAD_BOTTOM
    return (f'<line x1="{PAD_LEFT}" y1="{PAD_TOP}" x2="{PAD_LEFT}" y2="{bottom}" stroke="#888"/>'
            f'<line x1="{PAD_LEFT}" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" stroke="#888"/>'
            f'<text x="{PAD_LEFT - 4}" y="{PAD_TOP + 8}" text-anchor="end">{top_label}</text>'
            f'<text x="{PAD_LEFT - 4}" y="{bottom}" text-anchor="end">0</text>')


def _bars(values, labels, top, colour, titles, target=None):
    """Bars for `values` (None: no bar) scaled to `top`, with a label under every few."""
    plot_w, plot_h = WIDTH - PAD_LEFT - 4, HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(len(values), 1)
    every = max(1, len(values) // 10)
    parts = []
    for index, (value, label, title) in enumerate(zip(values, labels, titles)):
        x = PAD_LEFT + 2 + index * step
        if value is not None:
            h = plot_h * (value / top if top else 0)
            parts.append(f'<rect x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{step * 0.8:.1f}" '
                         f'height="{h:.1f}" fill="{colour(value)}"><title>{escape(title)}</title></rect>')
        if index % every == 0:
            parts.append(f'<text x="{x + step * 0.4:.1f}" y="{HEIGHT - PAD_BOTTOM + 14}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    if target is not None:
        y = PAD_TOP + plot_h * (1 - target)
        parts.append(f'<line x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" '
                     f'stroke="#b3261e" stroke-dasharray="4 3"/>')
    return "".join(parts)


def _short(row, group):
    """A bar's label: the day of the month, a week's first day, a month's name."""
    if group == "month":
        return date.fromisoformat(row["key"] + "-01").strftime("%b")
    day = date.fromisoformat(row["key"])
    return day.strftime("%d %b") if group == "week" else day.strftime("%d")


def service_level_chart(rows, target, group="day"):
    """One bar per day (week, month): the share answered within the threshold, green at or
    above `target` (the settings' service_level_target, the dashed line); empty without
    calls."""
    values = [row["service_level"] for row in rows]
    labels = [_short(row, group) for row in rows]
    titles = [f'{row["label"]}: ' + ("no calls" if row["service_level"] is None else
                                     f'{row["service_level"] * 100:.1f}% of {row["offered"]}')
              for row in rows]
    body = _axis("100%") + _bars(values, labels, 1.0,
                                 lambda v: "#1e7a3a" if v >= target else "#d99a00", titles,
                                 target=target)
    return _svg(f"Service level per {group}", body)


def wait_buckets(waits):
    """[(label, answered calls)] of the wait-time distribution, from {seconds: count}."""
    out = []
    for low, high in WAIT_BUCKETS:
        count = sum(n for seconds, n in waits.items()
                    if seconds >= low and (high is None or seconds < high))
        out.append((f"{low}–{high - 1} s" if high else f"{low} s +", count))
    return out


def wait_chart(buckets):
    top = max([count for _, count in buckets] + [1])
    titles = [f"{label}: {count} calls" for label, count in buckets]
    body = _axis(str(top)) + _bars([c for _, c in buckets], [label for label, _ in buckets], top,
                                   lambda _v: "#0b5cad", titles)
    return _svg("Answered calls by wait time", body)


HEAT_LEFT, HEAT_TOP, HEAT_ROW = 36, 16, 22
HEAT_CELL = (WIDTH - HEAT_LEFT - 4) / 24
HEAT_LEVELS = 5  # shades above none, classes h1 to h5 of svg.heat in the stylesheet


def heat_level(count, top):
    """The shade of a cell: 0 for no calls, else 1 to HEAT_LEVELS by its share of `top`."""
    if not count:
        return 0
    return min(HEAT_LEVELS, 1 + (HEAT_LEVELS - 1) * count // max(top, 1))


def heat_map(rows):
    """Calls by weekday (rows) and local hour (columns) as a grid of cells, each shaded by
    its count, named by a title and an aria-label and, when it had calls, numbered.
    `rows` is reports.heat.grid's [(weekday, [24 counts])]."""
    top = max([count for _, counts in rows for count in counts] + [0])
    parts = [f'<text x="{HEAT_LEFT + hour * HEAT_CELL + HEAT_CELL / 2:.1f}" y="{HEAT_TOP - 4}" '
             f'text-anchor="middle" aria-hidden="true">{hour:02d}</text>'
             for hour in range(0, 24, 3)]
    for index, (weekday, counts) in enumerate(rows):
        y = HEAT_TOP + index * HEAT_ROW
        parts.append(f'<text x="{HEAT_LEFT - 4}" y="{y + HEAT_ROW * 0.65:.1f}" text-anchor="end" '
                     f'aria-hidden="true">{weekday}</text>')
        for hour, count in enumerate(counts):
            x = HEAT_LEFT + hour * HEAT_CELL
            level = heat_level(count, top)
            title = escape(f"{weekday} {hour:02d}:00–{(hour + 1) % 24:02d}:00: {count} "
                           f"call{'' if count == 1 else 's'}")
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{HEAT_CELL - 2:.1f}" '
                         f'height="{HEAT_ROW - 2}" class="h{level}" role="img" '
                         f'aria-label="{title}"><title>{title}</title></rect>')
            if count:
                parts.append(f'<text x="{x + HEAT_CELL / 2 - 1:.1f}" '
                             f'y="{y + HEAT_ROW * 0.65:.1f}" text-anchor="middle" '
                             f'class="n{" light" if level > 3 else ""}" '
                             f'aria-hidden="true">{count}</text>')
    bottom = HEAT_TOP + 7 * HEAT_ROW + 8
    parts.append(f'<text x="{HEAT_LEFT}" y="{bottom + 10}" aria-hidden="true">fewer</text>')
    for level in range(HEAT_LEVELS + 1):
        parts.append(f'<rect x="{HEAT_LEFT + 38 + level * 16}" y="{bottom}" width="14" '
                     f'height="12" class="h{level}" aria-hidden="true"/>')
    parts.append(f'<text x="{HEAT_LEFT + 44 + (HEAT_LEVELS + 1) * 16}" y="{bottom + 10}" '
                 f'aria-hidden="true">more ({top} calls at most)</text>')
    return _svg("Calls by weekday and hour of the day", "".join(parts), height=bottom + 16,
                kind="chart heat", role="group")
