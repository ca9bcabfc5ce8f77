"""The README stays true: its configuration table lists exactly the settings Samvaad reads."""

from __future__ import annotations

import re
from pathlib import Path

from schemas.settings import Settings

README = (Path(__file__).parent.parent / "README.md").read_text()


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def test_configuration_table_lists_every_setting_and_nothing_else() -> None:
    documented = set(re.findall(r"^\| `(SAMVAAD_[A-Z_]+)` \|", section("Configuration"), re.M))
    assert documented == {f"SAMVAAD_{name.upper()}" for name in Settings.model_fields}


def test_quick_start_has_exactly_two_commands() -> None:
    block = re.search(r"```sh\n(.*?)```", section("Quick start"), re.S)
    assert block
    commands = [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert [c.split()[0] for c in commands] == ["scripts/run", "scripts/test"]


def test_the_env_example_lists_every_setting_and_nothing_else() -> None:
    """The README's Docker section passes `--env-file samvaad.env`: the example to copy names every setting."""
    example = (Path(__file__).parent.parent / "samvaad.env.example").read_text()
    listed = re.findall(r"^(?:# )?(SAMVAAD_[A-Z_]+)=", example, re.M)

    assert sorted(listed) == sorted(f"SAMVAAD_{name.upper()}" for name in Settings.model_fields)
    assert "samvaad.env.example" in section("Production deployment") + section("Docker")
