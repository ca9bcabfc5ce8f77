"""SMS segments, counted as the network bills them: GSM-7 septets (the extension characters cost two) or,
when any character is outside GSM-7, UCS-2 code units (an emoji costs two); 160/153 and 70/67 a segment."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from routing.text.relay import GSM7, GSM7_ESCAPED, count_segments

BASIC = sorted(GSM7 - GSM7_ESCAPED)
basic_text = st.text(st.sampled_from(BASIC), max_size=700)
gsm_text = st.text(st.sampled_from(sorted(GSM7)), max_size=700)
ucs2_text = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400).filter(
    lambda body: not set(body) <= GSM7
)


def ceil_div(units: int, size: int) -> int:
    return -(-units // size)


@given(body=basic_text)
def test_plain_gsm_text_fills_160_then_153_septets(body: str) -> None:
    assert count_segments(body) == (1 if len(body) <= 160 else ceil_div(len(body), 153))


@given(body=gsm_text)
def test_extension_characters_cost_two_septets(body: str) -> None:
    septets = len(body) + sum(char in GSM7_ESCAPED for char in body)
    found = count_segments(body)
    assert (found == 1) == (septets <= 160)
    if septets > 160:
        assert ceil_div(septets, 153) <= found <= ceil_div(septets, 152)  # an escape pair is never split


@given(body=ucs2_text)
def test_any_other_character_makes_it_ucs2_counted_in_utf16_units(body: str) -> None:
    units = len(body.encode("utf-16-le")) // 2
    found = count_segments(body)
    assert (found == 1) == (units <= 70)
    if units > 70:
        assert ceil_div(units, 67) <= found <= ceil_div(units, 66)  # a surrogate pair is never split


@given(body=st.text(max_size=300), more=st.characters(exclude_categories=["Cs"]))
def test_a_longer_message_never_costs_less(body: str, more: str) -> None:
    assert count_segments(body + more) >= count_segments(body)


def test_the_cases_that_were_undercounted() -> None:
    assert count_segments("{" * 80) == 1 and count_segments("{" * 81) == 2  # 162 septets
    assert count_segments("€" * 80 + "a") == 2
    assert count_segments("🙏" * 35) == 1 and count_segments("🙏" * 36) == 2  # 72 UTF-16 units
    assert count_segments("नमस्ते " * 10) == 1 and count_segments("a" * 70 + "न") == 2
