"""`samvaad demo`'s roster act: a shift reminder on WhatsApp that the listener answers NO, the open shift
offered to the listeners who can take it, the first YES taking it, and everyone told.

Nothing here sends or decides: the worker's own jobs do, as in production. The cron tick plans the reminder
and hands it to RQ's scheduler for its moment (``enqueue_in``); ``InlineJobs`` releases it when that moment
comes on the simulated clock, and the replies go through the signed messaging webhook like any listener's.
The act only waits for what arrives on the simulated phones and prints it, names only, never a number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from app.demo.helpline import HelplineBuilder, ShiftTimes
from routing import access
from schemas.api import StaffCreate
from schemas.tables import Proficiency
from telephony.content import reminder_templates
from telephony.simulator import Phone, Simulator
from telephony.simulator.messaging import ContentTemplate, SimMessage

OUT = Callable[[str], None]
INDIA = ZoneInfo("Asia/Kolkata")
WHATSAPP = "+918047100200"  # the helpline's WhatsApp Business number (Bengaluru)
RESTING = ("Dr. Meera Joshi", "+919845000090", {"hi": Proficiency.native, "mr": Proficiency.fluent}, "hi")
COORDINATOR = ("Dr. Rekha Nair", "+919845000099")
SAYS_NO = "नहीं"  # Meera's "no", typed in Hindi
DELIVERY_SECONDS = 5


def add_reminder_templates(sim: Simulator) -> dict[str, str]:
    """Every locale's quick-reply template on the simulated account, made from the same Content API
    definitions an operator creates on Twilio's (`samvaad reminder-templates`); returns their SIDs."""
    sids: dict[str, str] = {}
    for index, (locale, definition) in enumerate(reminder_templates().items(), start=1):
        sids[locale] = f"HX{index:032x}"
        sim.messaging.add_template(sids[locale], ContentTemplate.from_definition(definition))
    return sids


def seed_roster(session: Session, build: HelplineBuilder, association_id: int, shift_at: datetime) -> None:
    """A listener off shift today whose shift tomorrow is the act's, and the coordinator told of it."""
    name, number, languages, prompt_language = RESTING
    build.listener(association_id, name, number, languages, [ShiftTimes(shift_at, 240)],
                   prompt_language=prompt_language)  # fmt: skip
    staff = StaffCreate.model_validate(
        {"name": COORDINATOR[0], "phone": COORDINATOR[1], "role": "coordinator", "code_channel": "whatsapp"}
    )
    access.create_staff(session, build.vault, association_id, staff, build.actor)


def play_roster(
    sim: Simulator, out: OUT, listeners: dict[str, Phone], taker_name: str, shift_at: datetime
) -> int:
    """The act, printed step by step (``taker_name``, one of ``listeners``, says YES to the invitation);
    returns 1 when the coordinator did not hear who took the shift."""
    resting = sim.phone(RESTING[1], RESTING[0])
    coordinator = sim.phone(COORDINATOR[1], COORDINATOR[0])
    phones = {RESTING[0]: resting, **listeners, f"{COORDINATOR[0]} (coordinator)": coordinator}
    seen = {name: len(roster_messages(phone)) for name, phone in phones.items()}
    coordinator_name = next(reversed(phones))
    out("")
    reminded, local = shift_at - timedelta(hours=24), shift_at.astimezone(INDIA)
    out(f"Roster: {RESTING[0]} is on the roster tomorrow, {local:%d %b} at {local:%H:%M} in India; at"
        f" {reminded:%H:%M} UTC today, 24 hours before, the worker's scheduled job reminds her.")  # fmt: skip

    def show(step: str, ready: Callable[[], bool]) -> None:
        sim.run_until(ready, within=2 * 3600)
        sim.advance(DELIVERY_SECONDS)  # the messages sent with it reach their phones too
        out(f"  {step}")
        for name, phone in phones.items():
            for message in roster_messages(phone)[seen[name] :]:
                out(f"    {name}'s WhatsApp: {describe(message)}")
            seen[name] = len(roster_messages(phone))

    show("The reminder comes due:", lambda: len(roster_messages(resting)) > seen[RESTING[0]])
    reminder = roster_messages(resting)[-1]
    answer = resting.send_message(WHATSAPP, SAYS_NO, whatsapp=True)
    out(f'  {RESTING[0]} replies "{SAYS_NO}"; Samvaad answers: {quoted(answer)}')
    taker = listeners[taker_name]
    show("The shift is open: the coordinator is told, and listeners who speak its languages are invited:",
         lambda: bool(roster_messages(taker)) and len(roster_messages(coordinator)) > seen[coordinator_name])  # fmt: skip
    invitation = roster_messages(taker)[-1]
    confirm = invitation.buttons[0].title if invitation.buttons else "YES"
    taken = (
        taker.tap(invitation, confirm)
        if invitation.buttons
        else taker.send_message(WHATSAPP, "YES", whatsapp=True)
    )
    out(f'  {taker_name} taps "{confirm}"; Samvaad answers: {quoted(taken)}')
    told = seen[coordinator_name]
    show(
        "Taken: the other invitees hear that it is filled, and the coordinator hears who took it:",
        lambda: len(roster_messages(coordinator)) > told,
    )
    return 0 if reminder.buttons and taker_name in roster_messages(coordinator)[-1].body else 1


def roster_messages(phone: Phone) -> list[SimMessage]:
    """What the roster sent the phone (REST-sent WhatsApp messages), oldest first."""
    return [m for m in phone.inbox if m.direction == "outbound-api" and m.channel == "whatsapp"]


def describe(message: SimMessage) -> str:
    buttons = " ".join(f"[{button.title}]" for button in message.buttons)
    return f'"{message.body}"' + (f" {buttons}" if buttons else "")


def quoted(replies: list[SimMessage]) -> str:
    return " / ".join(f'"{reply.body}"' for reply in replies) or "nothing"
