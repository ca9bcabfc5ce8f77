"""TwiML rendering: the attributes Twilio reads, escaping, and verbs in order."""

import xml.etree.ElementTree as ET

from telephony import twiml


def _parse(document: str) -> ET.Element:
    assert document.startswith("<?xml")
    return ET.fromstring(document)


def test_menu_renders_a_dtmf_gather_with_nested_prompts_and_escaped_text() -> None:
    root = _parse(
        twiml.render_voice(
            twiml.Gather(
                action="/voice/language",
                num_digits=1,
                timeout=7,
                action_on_empty_result=True,
                prompts=(twiml.Say("Doctors & nurses: हिंदी के लिए 2", "hi-IN", "Polly.Aditi"), twiml.Pause(2)),
            ),
            twiml.Redirect("/voice/incoming"),
        )
    )
    gather, redirect = list(root)
    assert gather.tag == "Gather"
    assert gather.attrib == {
        "action": "/voice/language",
        "actionOnEmptyResult": "true",
        "input": "dtmf",
        "method": "POST",
        "numDigits": "1",
        "timeout": "7",
    }
    say, pause = list(gather)
    assert say.text == "Doctors & nurses: हिंदी के लिए 2"
    assert say.attrib == {"language": "hi-IN", "voice": "Polly.Aditi"}
    assert pause.attrib == {"length": "2"}
    assert (redirect.tag, redirect.text, redirect.get("method")) == ("Redirect", "/voice/incoming", "POST")


def test_enqueue_leave_and_dial_queue_carry_their_urls() -> None:
    root = _parse(
        twiml.render_voice(
            twiml.Enqueue("hi", wait_url="/wait/hi", action="/queue-exit", max_queue_size=50),
            twiml.Leave(),
            twiml.Dial(
                targets=(twiml.DialQueue("hi", url="/connecting"),), caller_id="+14155550100", timeout=10
            ),
        )
    )
    enqueue, leave, dial = list(root)
    assert enqueue.text == "hi"
    assert enqueue.get("waitUrl") == "/wait/hi" and enqueue.get("action") == "/queue-exit"
    assert enqueue.get("maxQueueSize") == "50"
    assert leave.tag == "Leave"
    assert dial.get("callerId") == "+14155550100" and dial.get("timeout") == "10"
    assert [(q.tag, q.text, q.get("url")) for q in dial] == [("Queue", "hi", "/connecting")]


def test_dial_number_has_whisper_url_and_status_callback_events() -> None:
    number = twiml.DialNumber(
        "+919800000002",
        url="/whisper",
        status_callback="/status",
        status_callback_event=("answered", "completed"),
    )
    dial = _parse(twiml.render_voice(twiml.Dial(targets=(number,), caller_id="+14155550100")))[0]
    (element,) = list(dial)
    assert element.text == "+919800000002"
    assert element.get("url") == "/whisper"
    assert element.get("statusCallbackEvent") == "answered completed"


def test_no_verbs_is_an_empty_response_and_hangup_reject_render() -> None:
    assert list(_parse(twiml.render_voice())) == []
    hangup, reject = list(_parse(twiml.render_voice(twiml.Hangup(), twiml.Reject("busy"))))
    assert hangup.tag == "Hangup" and reject.get("reason") == "busy"


def test_messages_render_one_message_per_reply_with_media() -> None:
    root = _parse(
        twiml.render_messages(
            twiml.Message("नमस्ते <3"), twiml.Message("Info", media_urls=("https://x/a.png",))
        )
    )
    first, second = list(root)
    assert first.find("Body").text == "नमस्ते <3"  # type: ignore[union-attr]
    assert [m.text for m in second.findall("Media")] == ["https://x/a.png"]
    assert list(_parse(twiml.render_messages())) == []
