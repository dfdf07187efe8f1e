"""Charts as SVG made on the server: service level per day, the wait-time distribution."""

from markupsafe import Markup, escape

from reports.measures import SERVICE_LEVEL_TARGET

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 36, 34, 10
WAIT_BUCKETS = ((0, 5), (5, 10), (10, 15), (15, 20), (20, 30), (30, 60), (60, None))


def _svg(label, body):
    # sized and lettered by the stylesheet (svg.chart): no style attribute, which the
    # Content-Security-Policy would refuse
    return Markup(f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
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


def service_level_chart(rows, target=SERVICE_LEVEL_TARGET):
    """One bar per day: the share answered within the threshold; days with no calls are empty."""
    values = [row["service_level"] for row in rows]
    labels = [row["key"][8:10] for row in rows]
    titles = [f'{row["label"]}: ' + ("no calls" if row["service_level"] is None else
                                     f'{row["service_level"] * 100:.1f}% of {row["offered"]}')
              for row in rows]
    body = _axis("100%") + _bars(values, labels, 1.0,
                                 lambda v: "#1e7a3a" if v >= target else "#d99a00", titles,
                                 target=target)
    return _svg("Service level per day", body)


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
