"""Answers to reminders and invitations, through the same signed messaging webhook as doctors' texts: a
tapped quick reply or YES/NO in English or the listener's language. NO (or silence past the deadline) opens
the occurrence: the coordinator is told, eligible listeners are invited, the first YES takes it and the
others are told it is filled; every step is in the audit log."""

from __future__ import annotations

import threading
from datetime import timedelta

from schemas.tables import ConfirmationStatus, Conversation, OpenShift, RosterNotice, Shift, ShiftConfirmation
from telephony.simulator.phones import Phone
from tests.roster.conftest import TOMORROW, Roster, roster_messages
from tests.text.conftest import WHATSAPP_NUMBER

HOUR = timedelta(hours=1)
REMINDED = TOMORROW - 24 * HOUR


def reply(roster: Roster, phone: Phone, body: str) -> list[str]:
    replies = phone.send_message(WHATSAPP_NUMBER, body, whatsapp=True)
    roster.settle()
    return [r.body for r in replies]


def test_tapping_confirm_confirms_the_shift_in_the_listeners_language(roster: Roster) -> None:
    phone, listener_id = roster.listener("Meena", ("ta",), prompt_language="ta")
    roster.jump(REMINDED)
    [reminder] = roster_messages(phone)
    answers = [r.body for r in phone.tap(reminder, "உறுதிசெய்")]  # Confirm, in Tamil
    roster.settle()
    assert answers == [answers[0]] and answers[0].startswith("நன்றி.")
    [row] = roster.line.rows(ShiftConfirmation, listener_id=listener_id)
    assert row.status == ConfirmationStatus.confirmed
    assert len(roster.audit("confirm")) == 1
    roster.jump(TOMORROW - timedelta(minutes=32))
    roster.run_until(TOMORROW - timedelta(minutes=28))
    assert roster.line.rows(OpenShift) == []  # confirmed: the deadline leaves it be


def test_no_opens_the_shift_invites_the_eligible_and_the_first_yes_takes_it(roster: Roster) -> None:
    asha, asha_id = roster.listener("Asha", ("hi",), prompt_language="hi")
    priya, priya_id = roster.listener("Priya", ("hi", "en"), starts=None)
    arjun, _ = roster.listener("Arjun", ("hi",), starts=None, prompt_language="hi")
    unverified, _ = roster.listener("Unverified", ("hi",), starts=None, registration_verified=False)
    tamil_only, _ = roster.listener("Kavin", ("ta",), starts=None)
    on_shift, _ = roster.listener("Busy", ("hi",), starts=TOMORROW - HOUR, minutes=180)
    coordinator = roster.coordinator("Dr Rao", app_language="hi")
    roster.jump(REMINDED)

    assert reply(roster, asha, "नहीं") == [
        "बताने के लिए धन्यवाद। गुरु 26 नव॰, 17:30 की आपकी शिफ़्ट के लिए हम दूसरे डॉक्टरों से पूछेंगे।"
    ]
    [opened] = roster.line.rows(OpenShift)
    assert opened.given_up_by == asha_id and opened.taken_by is None
    [told] = roster_messages(coordinator)
    assert told.body.startswith("खाली शिफ़्ट") and "Asha" in told.body and told.content_sid is None
    [priya_invite] = roster_messages(priya)
    assert priya_invite.body.startswith("Samvaad roster: A helpline shift is open on Thu 26 Nov, 17:30")
    [arjun_invite] = roster_messages(arjun)
    assert arjun_invite.body.startswith("संवाद रोस्टर: हेल्पलाइन पर")
    assert [b.title for b in arjun_invite.buttons] == ["पुष्टि करें", "आना संभव नहीं"]
    assert roster_messages(unverified) == roster_messages(tamil_only) == []
    assert len(roster_messages(on_shift)) == 1  # their own reminder, no invitation

    assert reply(roster, priya, "Yes") == ["Thank you. The shift on Thu 26 Nov, 17:30 is yours."]
    [taken] = roster.line.rows(OpenShift)
    assert taken.taken_by == priya_id and taken.taken_shift_id is not None
    [filled] = roster_messages(arjun)[1:]
    assert filled.body.startswith("धन्यवाद: गुरु 26 नव॰, 17:30 की खाली शिफ़्ट")
    [_, taken_told] = roster_messages(coordinator)  # the coordinator hears who took it, in Hindi
    assert taken_told.body == "गुरु 26 नव॰, 17:30 (हिन्दी) की खाली शिफ़्ट Priya ने ले ली है।"
    assert [e.changes["about"] for e in roster.audit("notify")] == ["open", "took"]
    assert reply(roster, arjun, "haan") == [filled.body]  # too late: told it is filled, nothing changes
    assert roster.line.rows(OpenShift)[0].taken_by == priya_id
    assert [m.body for m in roster_messages(priya)] == [
        priya_invite.body
    ]  # no "filled", no reminder: she said YES
    actions = {e.action for e in roster.audit("declined") + roster.audit("invite") + roster.audit("take")
               + roster.audit("filled") + roster.audit("notify")}  # fmt: skip
    assert actions == {"declined", "invite", "take", "filled", "notify"}

    roster.jump(TOMORROW - HOUR - timedelta(minutes=1))
    roster.run_until(TOMORROW - HOUR + timedelta(minutes=2))
    assert len(roster_messages(priya)) == 2  # the taker is reminded an hour before, like anyone
    roster.jump(TOMORROW - timedelta(minutes=31))
    roster.run_until(TOMORROW + timedelta(minutes=1))
    # She said YES already: her shift does not open again (Busy, who never answered, opens theirs).
    assert roster.line.rows(OpenShift, shift_id=taken.taken_shift_id) == []


def test_no_answer_by_the_deadline_opens_the_shift(roster: Roster) -> None:
    silent, _ = roster.listener("Silent", ("ta",))
    other, _ = roster.listener("Other", ("ta",), starts=None)
    roster.jump(REMINDED)
    roster.jump(TOMORROW - HOUR - timedelta(minutes=1))
    roster.run_until(TOMORROW - timedelta(minutes=31))
    assert roster.line.rows(OpenShift) == [] and len(roster_messages(silent)) == 2
    roster.run_until(TOMORROW - timedelta(minutes=29))
    [opened] = roster.line.rows(OpenShift)
    [row] = roster.line.rows(ShiftConfirmation, shift_id=opened.shift_id)
    assert row.status == ConfirmationStatus.unanswered and len(roster.audit("unanswered")) == 1
    assert [m.body.split(": ", 1)[1][:24] for m in roster_messages(other)] == ["A helpline shift is open"]


def test_invitations_in_turn_go_one_at_a_time(roster: Roster) -> None:
    roster.line.configure(invite_turn_minutes=15)
    leaving, _ = roster.listener("Leaving", ("ta",))
    first, _ = roster.listener("First", ("ta",), starts=None)
    second, _ = roster.listener("Second", ("ta",), starts=None)
    roster.jump(REMINDED)
    reply(roster, leaving, "no")
    assert (len(roster_messages(first)), len(roster_messages(second))) == (1, 0)
    roster.run_until(REMINDED + timedelta(minutes=16))
    assert (len(roster_messages(first)), len(roster_messages(second))) == (1, 1)


def test_a_callers_yes_is_a_callers_message_and_a_busy_listeners_yes_is_relayed(roster: Roster) -> None:
    now = roster.clock.now()
    listener, _ = roster.listener("Meena", ("ta",), starts=(now - 2 * HOUR, TOMORROW), minutes=12 * 60)
    roster.jump(REMINDED)
    [reminder] = roster_messages(listener)
    caller = roster.line.caller()
    caller.send_message(WHATSAPP_NUMBER, "வணக்கம், எனக்கு இன்று மிகவும் கவலையாக இருக்கிறது", whatsapp=True)
    roster.line.run_jobs()
    roster.line.offer_waiting()
    [conversation] = roster.line.rows(Conversation)
    assert conversation.listener_id is not None

    caller.send_message(WHATSAPP_NUMBER, "yes", whatsapp=True)  # a doctor's text: relayed, never an answer
    roster.line.run_jobs()
    assert any(m.body == f"#{conversation.tag} yes" for m in listener.inbox)
    listener.send_message(WHATSAPP_NUMBER, "yes", whatsapp=True)  # meant for the doctor they talk to
    roster.line.run_jobs()
    assert any(m.body == "yes" for m in caller.inbox)
    [row] = roster.line.rows(ShiftConfirmation)
    assert row.status == ConfirmationStatus.pending

    listener.tap(reminder, "Confirm")  # a button is unambiguous
    assert roster.line.rows(ShiftConfirmation)[0].status == ConfirmationStatus.confirmed


def test_two_listeners_answering_yes_at_the_same_moment_one_takes_it_the_other_hears_it_is_filled(
    roster: Roster,
) -> None:
    """Two signed webhooks in flight together, each in its own request thread of the app: the claim on the
    take decides, whichever commits first."""
    leaving, _ = roster.listener("Leaving", ("ta",))
    first, first_id = roster.listener("First", ("ta",), starts=None)
    second, second_id = roster.listener("Second", ("ta",), starts=None)
    roster.jump(REMINDED)
    reply(roster, leaving, "no")
    invitations = {"First": roster_messages(first), "Second": roster_messages(second)}
    assert [len(sent) for sent in invitations.values()] == [1, 1]

    together = threading.Barrier(2)
    answers: dict[str, list[str]] = {}

    def say_yes(name: str, phone: Phone) -> None:
        together.wait()
        answers[name] = [r.body for r in phone.send_message(WHATSAPP_NUMBER, "YES", whatsapp=True)]

    threads = [threading.Thread(target=say_yes, args=pair) for pair in (("First", first), ("Second", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    roster.settle()

    [opened] = roster.line.rows(OpenShift)
    assert opened.taken_by in (first_id, second_id)
    winner, loser = ("First", "Second") if opened.taken_by == first_id else ("Second", "First")
    assert answers[winner] == ["Thank you. The shift on Thu 26 Nov, 17:30 is yours."]
    assert answers[loser] == [
        "Thank you: the open shift on Thu 26 Nov, 17:30 has been taken by another doctor."
    ]
    assert len(roster.line.rows(RosterNotice, kind="taken")) == len(roster.audit("take")) == 1
    taken_shifts = [s for s in roster.line.rows(Shift) if s.listener_id in (first_id, second_id)]
    assert [s.listener_id for s in taken_shifts] == [opened.taken_by]
    phones = {"First": first, "Second": second}
    assert roster_messages(phones[loser]) == invitations[loser]  # told in the reply, not a second time
    assert roster.line.sim.errors == []
