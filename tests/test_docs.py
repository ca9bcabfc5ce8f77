"""The docs can be followed verbatim without harm: the API examples create their own association."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def test_api_examples_never_name_an_association_or_listener_by_a_fixed_id() -> None:
    """After `scripts/run`, association 1 is the demo: examples that use it would edit the demo."""
    examples = "\n".join(re.findall(r"```sh\n(.*?)```", (DOCS / "api.md").read_text(), re.S))

    assert "$API/associations -H" in examples
    assert not re.search(r"/associations/\d+", examples)
    assert not re.search(r'"listener_id": \d+', examples)
