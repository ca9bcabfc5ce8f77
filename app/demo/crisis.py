"""What `samvaad demo` says about its crisis call, step by step, read from what the phones heard: the danger
notice, the acknowledgement, the listeners rung together, who took the call and what the others heard, and
what the wait limit would have done."""

from __future__ import annotations

from collections.abc import Callable

from locales import messages, translator_for
from routing.crisis_numbers import CrisisNumbers
from telephony.simulator import Phone

OUT = Callable[[str], None]


def explain_crisis(out: OUT, caller: Phone, listeners: dict[str, Phone], crisis: CrisisNumbers) -> None:
    start = caller.calls[0].created_at
    bridged = [h.at for h in caller.transcript if h.kind == "bridged"]
    end = bridged[0] if bridged else caller.calls[-1].ended_at or start
    rung = [name for name, phone in listeners.items() if _rang_between(phone, start, end)]
    took = [name for name, phone in listeners.items() if phone in caller.bridged_with]
    told = [name for name in rung if _heard(listeners[name], messages.LISTENER_OFFER_TAKEN)]
    line, limit = crisis.crisis_line, crisis.wait_seconds
    out("  What happened, step by step:")
    out(
        f"   1. Every menu opens with the danger notice, in each language of the menu: press 0, or call Tele-MANAS {line}."
    )
    out(
        "   2. Key 0 put the doctor at the front of the queue, and they heard at once, in their language, that a"
    )
    out(
        f"      doctor is being found now, that Tele-MANAS {line} follows if nobody answers within {limit} s, and"
    )
    out(
        f'      {crisis.emergency_number} for immediate danger; then only "we are still calling doctors for you".'
    )
    out(
        f"   3. {len(rung)} listener(s) were rung together: {', '.join(rung) or 'none free'}; each whisper began"
    )
    out('      "urgent: this caller said they are in danger", and the listener\'s page said so too.')
    if took:
        others = f"; {', '.join(told)} heard that another doctor had taken the call" if told else ""
        out(f"   4. The first to press 1 took the call: {', '.join(took)}{others}.")
        out(
            f"      Had nobody pressed 1 within {limit} s, the doctor would have been put through to Tele-MANAS {line}."
        )
    else:
        out(f"   4. Nobody pressed 1 within {limit} s: the doctor was put through to Tele-MANAS {line}.")


def _rang_between(phone: Phone, start: float, end: float) -> bool:
    return any(h.kind == "ring" and start <= h.at <= end for h in phone.transcript)


def _heard(phone: Phone, message: str) -> bool:
    """Whether the phone heard ``message`` in the language it was spoken in ("ta-IN": the Tamil catalog)."""
    return any(
        h.text == translator_for((h.language or "en").split("-")[0]).gettext(message) for h in phone.spoken()
    )
