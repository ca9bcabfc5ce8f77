"""The web app's messages that are written in code (field errors, the sign-in code text), marked for the
``web`` catalog (``babel-web.cfg``); the pages' own words are in ``app/templates``."""

from locales.messages import N_

SIGNIN_CODE_TEXT = N_(
    "Your Samvaad sign-in code is %(code)s. It is valid for %(minutes)s minutes. Never share it."
)
PHONE_HELP = N_("Enter your mobile number, e.g. +91 98765 43210.")
BAD_CODE = N_("That code is not right, or it has expired. Check the message, or ask for a new code.")
TOO_MANY_ATTEMPTS = N_("Too many attempts. Wait a few minutes and try again.")
