"""Set-up is quiet: the package metadata uses the forms current setuptools expects (no deprecation notices)."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())


def test_the_licence_is_an_spdx_expression_and_the_build_backend_understands_it() -> None:
    """A ``license = {text = …}`` table makes setuptools print a deprecation notice, three times, at set-up."""
    assert PYPROJECT["project"]["license"] == "AGPL-3.0-or-later"
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]
