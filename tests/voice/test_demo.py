"""`samvaad demo` tells four calls end to end, and no phone number of anyone appears in what it prints."""

from __future__ import annotations

from pathlib import Path

from app.demo.calls import (
    CALLERS,
    HELPLINE,
    LISTENERS,
    demo_settings,
    listener_number,
    run_demo,
    running,
    seed,
)


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
    # a free listener answers within seconds of the menu's end (the crisis notice in five languages, then five)
    assert all(wait <= 60 for wait in waits[:3])

    again: list[str] = []  # jobs run when the simulator is idle, not in threads racing it: the same story
    assert run_demo(tmp_path / "second", out=again.append) == 0
    assert again == lines


def test_the_demos_crisis_call_reaches_the_crisis_line_in_time_when_nobody_accepts(tmp_path: Path) -> None:
    with running(demo_settings(tmp_path)) as (services, sim):
        seed(services)
        for index, (name, _, _) in enumerate(LISTENERS):
            sim.phone(listener_number(index), name, answer_after=None)  # every phone rings out
        crisis_line = sim.phone(services.settings.crisis_line, "Tele-MANAS")
        doctor = next(caller for caller in CALLERS if caller.press_zero)
        phone = sim.phone(doctor.number, doctor.name)
        phone.respond(r"\b5\b", press=doctor.menu_key)
        phone.call(HELPLINE)

        sim.advance(services.settings.crisis_max_wait_seconds + 90)

        pressed = next(r.at for r in sim.requests_to("/twilio/voice/menu") if r.param("Digits") == "0")
        [bridged] = [h.at for h in phone.transcript if h.kind == "bridged"]
        assert phone.bridged_with == [crisis_line]
        assert bridged - pressed <= services.settings.crisis_max_wait_seconds + 15


def test_the_demo_helpline_is_an_indian_toll_free_number() -> None:
    """An Indian helpline is reached on a 1800 number, as callers in India expect, not a US one."""
    import phonenumbers

    parsed = phonenumbers.parse(HELPLINE)
    assert phonenumbers.region_code_for_number(parsed) == "IN"
    assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE


def test_the_demo_says_step_by_step_what_the_crisis_call_met(tmp_path: Path) -> None:
    """Issue 11: the crisis path is audible and explained: acknowledged, two Hindi speakers rung together,
    the first to press 1 takes it, the other told so, and what the wait limit would have done."""
    lines: list[str] = []
    assert run_demo(tmp_path, out=lines.append) == 0
    steps = lines[lines.index("  What happened, step by step:") :]
    told = "\n".join(steps[:12])
    assert "within 120 s" in told and "Tele-MANAS 14416" in told and "112" in told
    assert "2 listener(s) were rung together: Dr. Asha Verma, Dr. Chitra Sen" in told
    assert "heard that another doctor had taken the call" in told


def test_the_exotel_demo_answers_every_caller_through_the_flow_and_prints_no_number(tmp_path: Path) -> None:
    from app.demo.exotel_calls import run_exotel_demo

    lines: list[str] = []
    assert run_exotel_demo(tmp_path / "exotel", out=lines.append) == 0
    printed = "\n".join(lines)
    assert printed.count("talked with: ") == len(CALLERS)
    assert "answered by: nobody" not in printed
    assert all(caller.number not in printed and caller.number[3:] not in printed for caller in CALLERS)
    assert "+91984500" not in printed and "984500" not in printed
    assert "-> unanswered -> greeting" in printed  # the fourth: nobody picked up, a callback booked


def test_the_demos_roster_act_reminds_in_hindi_reopens_on_no_and_the_first_yes_takes_it(
    tmp_path: Path,
) -> None:
    """Issue 10: the reminder arrives on WhatsApp in the listener's language with buttons in it; her Hindi NO
    opens the shift; the coordinator is told; the Hindi speakers are invited, one YES takes it, the other
    invitee hears it is filled and the coordinator hears who took it. Names only, never a number."""
    lines: list[str] = []
    assert run_demo(tmp_path, out=lines.append) == 0
    act = lines[lines.index(next(line for line in lines if line.startswith("Roster: "))) :]
    steps = [line for line in act if line.startswith("  ") and not line.startswith("    ")]
    assert steps[0] == "  The reminder comes due:"
    reminder = act[act.index(steps[0]) + 1]
    assert reminder.startswith("    Dr. Meera Joshi's WhatsApp: \"संवाद रोस्टर: याद दिलाना:")
    assert reminder.endswith("[पुष्टि करें] [आना संभव नहीं]")  # Confirm, Can't come: in Hindi
    assert steps[1].startswith('  Dr. Meera Joshi replies "नहीं"; Samvaad answers: "बताने के लिए धन्यवाद।')
    invited = act[act.index(steps[2]) + 1 : act.index(steps[3])]
    assert [line.split("'s WhatsApp")[0].strip() for line in invited] == [
        "Dr. Asha Verma", "Dr. Chitra Sen", "Dr. Rekha Nair (coordinator)"
    ]  # fmt: skip
    assert invited[1].endswith("[নিশ্চিত করুন] [আসতে পারব না]")  # Dr. Chitra Sen reads Bengali
    assert "Dr. Meera Joshi will not come" in invited[2]
    assert (
        steps[3]
        == '  Dr. Asha Verma taps "Confirm"; Samvaad answers: "Thank you. The shift on Thu 26 Nov, 11:45 is yours."'
    )
    told = act[act.index(steps[4]) + 1 :]
    assert told[0] == (
        '    Dr. Chitra Sen\'s WhatsApp: "ধন্যবাদ: বৃহস্পতি 26 নভে, 11:45-এর খালি শিফটটি অন্য একজন ডাক্তার নিয়েছেন।"'
    )
    assert told[1].endswith(
        '"The open shift on Thu 26 Nov, 11:45 (Hindi, Marathi) has been taken by Dr. Asha Verma."'
    )
    assert told[2] == "Simulator errors: 0"
    assert "+91" not in "\n".join(act) and "98450" not in "\n".join(act)
