"""Every period a command accepts, through the coordinator's own messages: a single day, and a
range without a year on the days it has begun."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from handlers.types import Attachment
from models.base import OrderStatus
from models.db import Database
from tests.coordinator.conftest import Talk, residence


def test_stats_for_one_day(talk: Talk) -> None:
    text = talk("claire", "/stats le 23 novembre moulin")
    lines = text.splitlines()
    assert lines[0] == "Résidence du Moulin, le lundi 23 novembre :"
    assert lines[1] == "Livré : 2 baguettes (+2)."
    assert "le lundi 16 novembre" in text  # compared with the Monday before
    assert talk("claire", "/stats 2026-11-23 moulin").splitlines()[0] == lines[0]
    yesterday = talk("claire", "/stats hier moulin")
    assert yesterday.splitlines()[0] == lines[0]
    english = talk("peter", "/stats yesterday")  # a tenant: refused, nothing computed
    assert "Livré" not in english and "Delivered" not in english


def test_export_of_one_day(talk: Talk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [reply] = talk.replies("claire", "/export hier moulin")
    assert reply.text.startswith("Export : 1 livraison, le lundi 23 novembre, Résidence du Moulin")
    assert isinstance(reply.attachment, Attachment)
    raw = Path(reply.attachment.path).read_bytes()
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["2026-11-23"]


def test_a_range_without_a_year_is_this_years_once_begun(db: Database) -> None:
    """On 12 December, "du 1er au 15 décembre" is this December so far, not December 2025."""
    w = residence(db, datetime(2026, 12, 12, 9, 0, tzinfo=UTC))
    w.order("jeanne", date(2026, 12, 3), {"bread": 3}, OrderStatus.DELIVERED, by="gilles")
    w.order("jeanne", date(2025, 12, 3), {"water": 1}, OrderStatus.DELIVERED, by="gilles")
    talk = Talk(w)
    text = talk("claire", "/stats du 1er au 15 décembre moulin")
    lines = text.splitlines()
    assert lines[0] == "Résidence du Moulin, du mardi 1er décembre au samedi 12 décembre :"
    assert lines[1].startswith("Livré : 3 baguettes")
    last = talk("claire", "/stats du 1er au 15 décembre 2025 moulin").splitlines()
    assert last[0] == "Résidence du Moulin, du lundi 1er décembre 2025 au lundi 15 décembre 2025 :"
    assert last[1].startswith("Livré : 1 pack d'eau")


def test_the_chart_of_a_site_without_deliveries_says_so(
    talk: Talk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    replies = talk.replies("claire", "/stats graphique phare")
    [reply] = replies
    assert reply.text.startswith("Aucune livraison, Résidence du Phare, du lundi 7 septembre")
    assert reply.text.endswith("le graphique est vide.")
    assert reply.attachment is not None and reply.attachment.kind == "photo"
    made = talk.replies("claire", "/stats graphique moulin")[0]
    assert made.text.startswith("Livraisons par semaine, Résidence du Moulin")
