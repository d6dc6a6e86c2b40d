"""The weekly chart is a PNG a phone can show, with one bar per week and item delivered."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from handlers.access import Actor
from handlers.charts import COLOURS, weekly_chart
from handlers.files import chart
from models.base import OrderStatus
from models.clock import FrozenClock
from models.db import Database
from tests.coordinator.world import World, two_sites, world

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def count_bars(path: Path) -> dict[str, int]:
    """Bars of each colour, counted on the pixel row just above the x axis: each bar is a run
    of its exact colour there (bars are drawn without anti-aliasing)."""
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    width, height = image.size
    pixels = image.load()
    colours = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)): c for c in COLOURS}
    best: dict[str, int] = {}
    for y in range(height - 1, height // 2, -1):  # the lowest rows where bars stand
        runs: dict[str, int] = {}
        previous = None
        for x in range(width):
            colour = colours.get(pixels[x, y])
            if colour is not None and colour != previous:
                runs[colour] = runs.get(colour, 0) + 1
            previous = colour
        if sum(runs.values()) > sum(best.values()):
            best = runs
    return best


def test_png_with_one_bar_per_week_and_item(tmp_path: Path) -> None:
    weeks = [(f"{d} nov.", {"bread": 10 + d, "water": d % 3}) for d in range(1, 13)]
    path = tmp_path / "chart.png"
    drawn = weekly_chart(
        path,
        weeks,
        [("bread", "baguettes"), ("water", "packs d'eau")],
        "Livraisons par semaine — Résidence du Moulin",
        "quantités livrées",
    )
    water_weeks = sum(1 for _, totals in weeks if totals["water"])
    assert drawn == 12 + water_weeks
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.size == (1000, 560)
    assert count_bars(path) == {COLOURS[0]: 12, COLOURS[1]: water_weeks}


def colours_in(path: Path) -> set[str]:
    """The item colours found anywhere in the picture (bars or legend)."""
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    found = {colour for _, colour in image.getcolors(maxcolors=1 << 24) or []}
    return {c for c in COLOURS if tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) in found}


def test_an_empty_chart_is_still_a_chart(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    weeks = [(f"s{i}", {}) for i in range(12)]
    series = [("bread", "baguettes"), ("water", "packs d'eau")]
    drawn = weekly_chart(path, weeks, series, "Rien", "quantités", "Aucune livraison")
    assert drawn == 0
    assert path.read_bytes().startswith(PNG_MAGIC)
    # no bar, but the legend still gives each item its own colour
    assert colours_in(path) == {COLOURS[0], COLOURS[1]}


def test_an_item_never_delivered_keeps_its_colour_in_the_legend(tmp_path: Path) -> None:
    path = tmp_path / "bread-only.png"
    weeks = [(f"s{i}", {"bread": 3}) for i in range(12)]
    series = [("bread", "baguettes"), ("water", "packs d'eau")]
    assert weekly_chart(path, weeks, series, "Pain", "quantités") == 12
    assert count_bars(path) == {COLOURS[0]: 12}
    assert COLOURS[1] in colours_in(path)


@pytest.fixture
def residence(db: Database) -> World:
    w = world(db, two_sites(), FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC)))
    w.person("t1", tenant=True)
    w.person("t2", tenant=True)
    w.person("v", volunteer=True)
    monday = date(2026, 11, 23)
    for week in range(12):
        day = monday - timedelta(weeks=week) + timedelta(days=1)  # the Tuesdays
        if week % 4 == 3:
            continue  # three weeks without a delivery
        w.order("t1", day, {"bread": 2}, by="v")
        if week % 2 == 0:
            w.order("t2", day, {"water": 1}, by="v")
    w.order("t2", monday, {"water": 5}, OrderStatus.CANCELLED)  # never drawn
    return w


def test_the_last_twelve_weeks_of_a_site(residence: World, tmp_path: Path) -> None:
    w = residence
    actor = Actor("Claire", "fr", "telegram")
    made, caption = w.db.call(chart, w.ctx, actor, [w.site()], "Résidence du Moulin", tmp_path)
    # weeks 0..11 back; 3, 7 and 11 empty: 9 bread bars; water on weeks 0, 2, 4, 6, 8, 10
    assert made.rows == 9 + 6
    assert count_bars(made.path) == {COLOURS[0]: 9, COLOURS[1]: 6}
    assert caption == (
        "Livraisons par semaine, Résidence du Moulin, du lundi 7 septembre au mardi 24 novembre."
    )
