"""The README's quick start is what CI runs: its commands are lines of .ci/run, word for word,
so a quick start that stops working fails CI instead of a newcomer's first try."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's Quick start has no ```sh block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_quick_start_is_two_commands_that_set_up_in_a_virtual_environment() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    setup, tests = commands
    # PEP 668 systems (Debian 12, Ubuntu 24.04, Fedora) refuse pip outside a venv.
    assert setup.startswith("python3 -m venv .venv && ")
    assert "printkit build" in setup
    assert "pytest" in tests


def test_ci_runs_the_quick_start_commands_word_for_word() -> None:
    ci_lines = {line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()}
    for command in quick_start_commands():
        assert command in ci_lines, f"{command!r} is not run by .ci/run"
