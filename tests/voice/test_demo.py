"""`samvaad demo` tells four calls end to end, and no phone number of anyone appears in what it prints."""

from __future__ import annotations

from pathlib import Path

from app.demo.calls import CALLERS, HELPLINE, LISTENERS, run_demo


def test_the_demo_answers_every_caller_and_prints_no_number(tmp_path: Path) -> None:
    lines: list[str] = []
    assert run_demo(tmp_path / "first", out=lines.append) == 0
    printed = "\n".join(lines)
    assert printed.count("answered by: ") == len(CALLERS)
    assert "answered by: nobody" not in printed
    assert all(caller.number not in printed for caller in CALLERS)
    assert "+91984500" not in printed  # the listeners' numbers
    assert {name for name, _, _ in LISTENERS} <= {
        line.split(": ", 1)[1] for line in lines if "answered by" in line
    }
    assert "[bn-IN, Google.bn-IN-Standard-C]" in printed and "[ta-IN, Google.ta-IN-Standard-C]" in printed
    waits = [int(line.split()[1]) for line in lines if line.startswith("  connected ")]
    assert len(waits) == len(CALLERS)
    assert all(wait <= 45 for wait in waits[:3])  # a free listener answers within seconds of the menu's end

    again: list[str] = []  # jobs run when the simulator is idle, not in threads racing it: the same story
    assert run_demo(tmp_path / "second", out=again.append) == 0
    assert again == lines


def test_the_demo_helpline_is_an_indian_toll_free_number() -> None:
    """An Indian helpline is reached on a 1800 number, as callers in India expect, not a US one."""
    import phonenumbers

    parsed = phonenumbers.parse(HELPLINE)
    assert phonenumbers.region_code_for_number(parsed) == "IN"
    assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE
