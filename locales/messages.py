"""Every sentence Samvaad says or sends, as msgids for the gettext catalogs.

Code refers to these constants rather than retyping the English: a typo in a retyped msgid would not fail,
it would silently fall back to English, which is what a caller must never meet. ``N_`` only marks a string for
``pybabel extract`` (it is one of Babel's default keywords); translation happens when the message is used:
``translator_for(locale).gettext(messages.WELCOME) % {...}``.

Comments starting ``TRANSLATORS:`` are extracted into the template for the people who translate.
"""


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet."""
    return message


# Voice: read aloud by text-to-speech to callers. Short sentences, so the TTS sounds natural.

WELCOME = N_("Welcome to the doctors' peer support helpline.")
# TRANSLATORS: said in every language of the menu before the menu itself; %(crisis_line)s is the crisis line.
DANGER_PRESS_ZERO = N_("If you are in danger right now, press 0, or call Tele-MANAS on %(crisis_line)s.")
# TRANSLATORS: one line of the language menu; %(language)s is the language's own name in that language,
# e.g. "हिंदी", so each line of the menu is spoken in its own language.
LANGUAGE_MENU_ITEM = N_("For %(language)s, press %(digit)s.")
WELCOME_BACK_LANGUAGE = N_(
    "Welcome back. To continue in %(language)s, press 1. For another language, press 2."
)
NOT_CAUGHT = N_("Sorry, I did not catch that.")
CONTINUE_IN_LANGUAGE = N_("We will continue in %(language)s.")
QUEUE_POSITION = N_("You are number %(position)s in line.")
# TRANSLATORS: %(minutes)s is always 2 or more; under a minute the next message is used instead.
EXPECTED_WAIT = N_("The expected wait is about %(minutes)s minutes.")
EXPECTED_WAIT_UNDER_A_MINUTE = N_("The expected wait is less than a minute.")
PLEASE_STAY = N_("A doctor who speaks your language will be with you soon. Please stay on the line.")
HOLD_OPTIONS = N_("To get a call back instead, press 1. If you are in danger, press 0.")
CALLBACK_CONFIRMED_VOICE = N_(
    "Thank you. A doctor will call you back from this helpline number, in %(language)s. "
    "Your place in line is kept. You can hang up now."
)
# TRANSLATORS: %(start)s and %(end)s are clock times such as 18:00.
CALLBACK_WINDOW = N_("We will call you back between %(start)s and %(end)s.")
# TRANSLATORS: %(crisis_line)s is the crisis line (Tele-MANAS, 14416 by
# default), %(emergency_number)s the emergency number (112). Keep both
# placeholders exactly as they are, here and in every message with them.
CRISIS_TRANSFER = N_(
    "Connecting you to the Tele-MANAS crisis line, %(crisis_line)s. "
    "In an emergency, dial %(emergency_number)s."
)
# TRANSLATORS: said once to a caller who pressed 0 (in danger), as they start to wait; keep the placeholders;
# %(seconds)s is the association's crisis wait limit in seconds, such as 120.
CRISIS_ACKNOWLEDGED = N_(
    "We hear you, and we are finding a doctor for you now. "
    "If nobody answers within %(seconds)s seconds, we will connect you to Tele-MANAS on %(crisis_line)s. "
    "If you are in immediate danger, call %(emergency_number)s."
)
# TRANSLATORS: repeated every few seconds to a caller in danger while the doctors' phones ring.
CRISIS_STILL_CALLING = N_("We are still calling doctors for you. Please stay on the line.")
CONNECTING = N_("Connecting you now.")
ALL_BUSY_CALLBACK = N_("All our listeners are busy right now. We will call you back as soon as one is free.")
# TRANSLATORS: said instead of the message above when the doctors are not on other calls (away or paused).
NOBODY_FREE_CALLBACK = N_("No doctor can take your call right now. We will call you back as soon as one can.")
FALLBACK_TRANSFER = N_(
    "We are having trouble connecting you. Please stay on the line while we connect you to another helpline."
)
GOODBYE = N_("Thank you for calling. Take care.")
CALLBACK_GREETING = N_(
    "This is the doctors' peer support helpline, calling you back as you asked. "
    "Please hold while we connect you."
)

# Listener: spoken or sent to a volunteer doctor, in the listener's own language.

# TRANSLATORS: whispered to the listener before the call is put through.
LISTENER_OFFER_WAITED = N_(
    "A caller who speaks %(language)s has waited %(minutes)s minutes. Press 1 to take the call."
)
LISTENER_OFFER_WAITED_A_MINUTE = N_(
    "A caller who speaks %(language)s has waited about a minute. Press 1 to take the call."
)
LISTENER_OFFER = N_("A caller who speaks %(language)s is waiting. Press 1 to take the call.")
LISTENER_CALLBACK_OFFER = N_("Callback for a caller who speaks %(language)s. Press 1 to connect.")
LISTENER_ALREADY_TAKEN = N_("The caller has already been connected. Thank you.")
# TRANSLATORS: said first in the whisper when the caller pressed the danger key; several doctors are rung at once.
LISTENER_URGENT_CALL = N_("Urgent: this caller said they are in danger.")
# TRANSLATORS: said to the doctors rung together for a caller in danger once one of them has taken the call.
LISTENER_OFFER_TAKEN = N_("Another doctor has taken this call. Thank you for answering.")
# TRANSLATORS: %(tag)s is a short conversation label such as #A7; keep it exactly as it is.
LISTENER_NEW_CONVERSATION = N_(
    "New conversation %(tag)s in %(language)s. Reply to this number to answer. "
    "If you have more than one conversation, start your reply with %(tag)s."
)
LISTENER_CONVERSATION_ENDED = N_("Conversation %(tag)s has ended.")
# TRANSLATORS: %(tag)s lists the listener's open conversation labels, such as "#A7, #K2"; keep them as they are.
LISTENER_WHICH_CONVERSATION = N_(
    "Not sent: you have more than one conversation. Start your reply with one of these: %(tag)s"
)
# TRANSLATORS: sent to a listener before a message with crisis words; %(tag)s is the conversation label.
LISTENER_URGENT = N_(
    "Urgent, %(tag)s: this doctor may be in danger and has been given the crisis line, %(crisis_line)s."
)
LISTENER_PAUSED = N_(
    "You have been paused after missed calls. Set yourself available again on your dashboard."
)

# Text: SMS and WhatsApp replies to callers. Keep the keywords CALL, END, STOP and START in Latin
# letters, and add the local keyword from locales/keywords/<code>.json where it reads naturally.

TEXT_WELCOME = N_(
    "Thank you for writing. A doctor who speaks %(language)s will reply here, usually within "
    "%(minutes)s minutes. If you are in danger, call Tele-MANAS %(crisis_line)s or %(emergency_number)s. "
    "Reply CALL for a call back instead."
)
# TRANSLATORS: the text version of the crisis acknowledgement; %(seconds)s is a number of seconds, such as 120.
TEXT_CRISIS = N_(
    "We hear you, and we are finding a doctor for you now. "
    "If nobody replies within %(seconds)s seconds, please call Tele-MANAS on %(crisis_line)s. "
    "If you are in immediate danger, call %(emergency_number)s."
)
TEXT_CALLBACK_CONFIRMED = N_(
    "We will call you back from this number, in %(language)s. Your place in line is kept."
)
TEXT_HELP = N_(
    "Write your message and a doctor will reply. CALL: a call back. END: close the conversation. "
    "STOP: no more messages. In danger: %(crisis_line)s or %(emergency_number)s."
)
# TRANSLATORS: the reply to a message sent to one of our numbers that no helpline uses (any more).
TEXT_NOT_A_HELPLINE = N_(
    "This number is not a helpline. If you are in danger, please call Tele-MANAS on %(crisis_line)s, "
    "or %(emergency_number)s in an emergency."
)
TEXT_STOPPED = N_("You will not receive more messages. Reply START to begin again.")
TEXT_RESTARTED = N_("Welcome back. Write your message and a doctor will reply.")
TEXT_CLOSED = N_("This conversation is closed. Take care. You can write again at any time.")
TEXT_CLOSED_IDLE = N_(
    "This conversation was closed because it was quiet for a while. You can write again at any time."
)
TEXT_LANGUAGE_QUESTION = N_("Which language would you like? Reply with a number.")
# TRANSLATORS: one line of the text language menu, written in that language, e.g. "2 हिंदी के लिए".
TEXT_LANGUAGE_MENU_ITEM = N_("%(digit)s for %(language)s")
TEXT_ONLY = N_("We can only read text messages. Please write your message in words.")
TEXT_DOCTOR_JOINED = N_("A doctor has joined the conversation.")
# TRANSLATORS: sent once to someone who has waited long for a doctor, when the helpline's policy offers
# a call back. Keep CALL in Latin letters.
TEXT_ALL_BUSY_CALLBACK = N_(
    "All our listeners are busy right now. A doctor will reply here as soon as one is free. "
    "Reply CALL and we will call you back instead. "
    "If you are in danger, call Tele-MANAS %(crisis_line)s or %(emergency_number)s."
)
# TRANSLATORS: sent once to someone who has waited long for a doctor, when the helpline's policy points
# them to the crisis line.
TEXT_ALL_BUSY_CRISIS_LINE = N_(
    "All our listeners are busy right now. If you are in danger, please call Tele-MANAS on %(crisis_line)s, "
    "or %(emergency_number)s in an emergency. A doctor will reply here as soon as one is free."
)

# Abuse controls: what a caller over the association's limits, or blocked, hears or reads. Gentle, never
# accusing, and always with the crisis line.

# TRANSLATORS: said before the caller is put through to the crisis line (the next sentence names it).
VOICE_TOO_MANY_CALLS = N_(
    "We have had many calls from this number in the last hour. Please call us again a little later."
)
TEXT_TOO_MANY_MESSAGES = N_(
    "You have sent many messages in a short time. Please wait a minute before writing again. "
    "If you are in danger, call Tele-MANAS %(crisis_line)s or %(emergency_number)s."
)
# TRANSLATORS: the reply when Samvaad itself could not take a message in (its database or Redis is down);
# the message was not kept, so the texter is asked to send it again.
TEXT_NOT_RECEIVED = N_(
    "We could not receive your message just now. Please send it again in a few minutes. "
    "If you are in danger, call Tele-MANAS %(crisis_line)s or %(emergency_number)s."
)
# TRANSLATORS: the reply when Samvaad kept a message it could not pass on at once (Redis was down); it is
# passed on within moments of Redis coming back.
TEXT_KEPT = N_(
    "We have your message and will pass it to a doctor in a moment. "
    "If you are in danger, call Tele-MANAS %(crisis_line)s or %(emergency_number)s."
)
# TRANSLATORS: the one reply to a number the helpline no longer answers; neutral, it gives no reason.
TEXT_NOT_ANSWERED = N_(
    "This helpline cannot answer messages from this number. "
    "If you are in danger, call Tele-MANAS %(crisis_line)s or %(emergency_number)s."
)

# Roster automation: text messages to listeners about their shifts, and to coordinators about the roster.
# %(when)s is the shift's start as a date and local time ("Thu 3 Dec, 09:00"); %(languages)s the languages
# the shift covers, named in the reader's language. Keep YES and NO in Latin capitals (they always work) and
# add the local words of locales/replies/<code>.json where it reads naturally.

SHIFT_REMINDER = N_(
    "Reminder: your helpline shift is on %(when)s (%(languages)s). "
    "Reply YES to confirm, or NO if you cannot come."
)
SHIFT_CONFIRMED = N_("Thank you. Your shift on %(when)s is confirmed.")
SHIFT_DECLINED = N_("Thank you for telling us. We will ask other doctors to take your shift on %(when)s.")
SHIFT_INVITATION = N_(
    "A helpline shift is open on %(when)s (%(languages)s). Can you take it? Reply YES to take it, or NO."
)
SHIFT_TAKEN = N_("Thank you. The shift on %(when)s is yours.")
INVITATION_PASSED = N_("Thank you for letting us know.")
SHIFT_FILLED = N_("Thank you: the open shift on %(when)s has been taken by another doctor.")
# TRANSLATORS: to a coordinator; %(listener)s is the listener's name.
COORDINATOR_SHIFT_OPEN = N_(
    "Open shift on %(when)s (%(languages)s): %(listener)s will not come or did not confirm. "
    "Other listeners have been invited."
)
# TRANSLATORS: to a coordinator; %(listener)s is the name of the listener who took the open shift.
COORDINATOR_SHIFT_TAKEN = N_("The open shift on %(when)s (%(languages)s) has been taken by %(listener)s.")
# TRANSLATORS: the two quick-reply buttons under a WhatsApp shift reminder or invitation: at most 20
# characters each (WhatsApp's limit), a listener's answer for themself.
BUTTON_CONFIRM = N_("Confirm")
BUTTON_CANT_COME = N_("Can't come")
# TRANSLATORS: the body of the WhatsApp template with those buttons; %(message)s is the reminder or the
# invitation. WhatsApp refuses a template that ends with its variable: keep words after it.
ROSTER_TEMPLATE_BODY = N_("Samvaad roster: %(message)s Thank you for volunteering.")
# TRANSLATORS: to a coordinator, once a day; %(gaps)s lists languages and hours, e.g. "ta 3 Dec 09:00-12:00".
COVERAGE_DIGEST = N_("Coverage for the next %(days)s days: %(count)s hours with too few listeners. %(gaps)s")
COVERAGE_DIGEST_NONE = N_("Coverage for the next %(days)s days: every hour has enough listeners.")
# TRANSLATORS: to a coordinator; %(listener)s is the listener's name.
NO_SHOW = N_("%(listener)s's shift started at %(when)s, but they have not come online.")
