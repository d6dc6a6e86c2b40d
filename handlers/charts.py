"""The weekly chart of `/stats graphique`: deliveries per week by item, as a PNG.

matplotlib with its Agg backend, imported only when a chart is drawn (half a second, never at
start-up), through `Figure` and `FigureCanvasAgg` rather than pyplot: no global figure state, so
two coordinators asking at once from two worker threads cannot draw into each other's chart.
matplotlib over Pillow because it ships its own font (DejaVu Sans): "déc.", "Résidence" and
"packs d'eau" render on a bare machine, where Pillow's built-in font has no accents and a
system font may be missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

# One colour per catalogue item, in catalogue order: bread golden, water blue, then others.
COLOURS = ("#d99a1e", "#2f74c0", "#3c9a5f", "#a14fb5", "#c0392b", "#7f8c8d")
SIZE = (10.0, 5.6)  # inches; at 100 dpi a 1000 × 560 photo, legible on a phone
DPI = 100


def weekly_chart(
    path: Path,
    weeks: Sequence[tuple[str, Mapping[str, int]]],
    series: Sequence[tuple[str, str]],
    title: str,
    y_label: str,
    empty: str = "",
) -> int:
    """Draw one group of bars per week (one bar per item of `series`: key, label) and write
    the PNG to `path`; returns how many bars were drawn (zero quantities draw none).

    With nothing to draw, the chart says `empty` across the plot and keeps its axis at zero:
    matplotlib would otherwise centre an empty axis on 0 and show a negative quantity. The
    legend is built from patches of each item's colour, so an item never delivered in these
    weeks still shows its own colour (an empty bar container has none)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = max(len(series), 1)
    width = 0.8 / n
    bars = 0
    for i, (key, label) in enumerate(series):
        xs, heights = [], []
        for w, (_, totals) in enumerate(weeks):
            value = int(totals.get(key, 0))
            if value > 0:
                xs.append(w - 0.4 + width * (i + 0.5))
                heights.append(value)
        container = ax.bar(
            xs,
            heights,
            width=width * 0.92,
            color=COLOURS[i % len(COLOURS)],
            label=label,
            antialiased=False,
            zorder=3,
        )
        if len(weeks) <= 16:
            ax.bar_label(container, fontsize=8, padding=2)
        bars += len(xs)
    ax.set_xticks(range(len(weeks)), [name for name, _ in weeks], fontsize=9)
    ax.set_xlim(-0.6, len(weeks) - 0.4)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(y_label)
    ax.set_title(title, fontsize=13)
    ax.grid(axis="y", color="#dddddd", zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.12)
    if bars:
        ax.set_ylim(bottom=0)
    else:
        ax.set_ylim(0, 1)
        ax.set_yticks([0])
        if empty:
            ax.text(0.5, 0.5, empty, transform=ax.transAxes, ha="center", va="center", fontsize=14)
    if series:
        handles = [
            Patch(facecolor=COLOURS[i % len(COLOURS)], label=label)
            for i, (_, label) in enumerate(series)
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.07),
            ncol=len(series),
            frameon=False,
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    return bars
