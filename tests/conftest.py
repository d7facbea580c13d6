"""Shared fixtures: the repo's decks, a CLI runner, and PDF reading helpers."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from printkit.cli import main

# Fonts parsed by the tests are cached in a folder of this test run, never in the user's
# cache (set before any test module registers a font; builds run by the tests inherit it).
_FONT_CACHE = tempfile.TemporaryDirectory(prefix="printkit-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _FONT_CACHE.name

REPO = Path(__file__).resolve().parents[1]
SEED_DECK = REPO / "decks" / "stalin-foreign-policy.yaml"
DATA = Path(__file__).resolve().parent / "data"
MM = 72 / 25.4
PAPER_SIZES = {"a4": (595.276, 841.89), "letter": (612.0, 792.0)}


@pytest.fixture
def seed_deck() -> Path:
    return SEED_DECK


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the printkit command line in-process, like a user would type it."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(
            main, [str(a) for a in args], prog_name="printkit", catch_exceptions=False
        )

    return invoke


@pytest.fixture
def write_deck(tmp_path: Path) -> Callable[..., Path]:
    """Write a deck file under tmp_path/decks and return its path."""

    def write(text: str, name: str = "deck.yaml") -> Path:
        folder = tmp_path / "decks"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def squash(text: str) -> str:
    """Text with every run of white space made one space: wrapping changes nothing else."""
    return re.sub(r"\s+", " ", text).strip()
