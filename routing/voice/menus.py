"""The caller's menu, decided: the crisis notice, each language offered in itself (a returning caller hears
their last language first), and what a key or a spoken language chooses. Pure."""

from __future__ import annotations

from collections.abc import Iterable

from locales import messages
from routing.crisis_numbers import CrisisNumbers
from routing.voice.decisions import (
    SPEECH_LANGUAGES,
    JoinQueue,
    LanguageChosen,
    Line,
    Menu,
    queue_name,
    say,
    unique,
)
from routing.voice.helplines import HelplineConfig


def danger_lines(config: HelplineConfig, crisis: CrisisNumbers, first: str | None = None) -> tuple[Line, ...]:
    """The brief crisis notice every menu opens with, in every language of the menu (a caller of the last
    language must hear it too), naming the crisis line."""
    codes = unique([c for c in (first, config.default_language, *config.codes) if c])
    return tuple(
        say("danger", messages.DANGER_PRESS_ZERO, code, crisis_line=crisis.crisis_line) for code in codes
    )


def greet(config: HelplineConfig, crisis: CrisisNumbers, last_language: str | None) -> Menu:
    """A returning caller hears their last language (1 to continue, 2 for others); everyone else the menu."""
    if last_language is None or config.language(last_language) is None:
        return language_menu(config, crisis, attempt=1)
    return returning_menu(config, crisis, last_language, attempt=1)


def returning_menu(config: HelplineConfig, crisis: CrisisNumbers, language: str, attempt: int) -> Menu:
    intro = (say("welcome", messages.WELCOME, language),)
    if attempt > 1:
        intro = (say("not_caught", messages.NOT_CAUGHT, language),)
    welcome_back = say("welcome_back", messages.WELCOME_BACK_LANGUAGE, language, names={"language": language})
    lines = (*danger_lines(config, crisis, language)[:1], welcome_back)
    speech, hints = _speech(config, (language,))
    return Menu("returning", attempt, intro, lines, language, speech, hints)


def language_menu(
    config: HelplineConfig, crisis: CrisisNumbers, attempt: int, last_language: str | None = None
) -> Menu:
    """Each option in its own language, in the association's order, after the crisis notice."""
    first = config.default_language
    intro = (say("welcome", messages.WELCOME, first),) if attempt == 1 and last_language is None else ()
    if attempt > 1:
        intro = (say("not_caught", messages.NOT_CAUGHT, first),)
    items = tuple(
        say("menu", messages.LANGUAGE_MENU_ITEM, lang.code, names={"language": lang.code}, digit=lang.digit)
        for lang in config.languages
    )
    return Menu(
        "languages",
        attempt,
        intro,
        danger_lines(config, crisis) + items,
        last_language,
        *_speech(config, config.codes),
    )


def _speech(config: HelplineConfig, codes: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """Speech as an extra, only when the menu offers a language Twilio recognises well."""
    recognised = [code for code in config.codes if code in SPEECH_LANGUAGES]
    if not recognised:
        return None, ()
    return SPEECH_LANGUAGES[recognised[0]], tuple(codes)


def choose_language(
    config: HelplineConfig, crisis: CrisisNumbers, menu: Menu, digits: str, spoken_choice: str | None = None
) -> Menu | LanguageChosen:
    """The caller's answer to a menu. 0 is always the crisis key. No answer or a wrong key repeats the menu
    once; after that the call goes on in the association's default language (for a returning caller: in
    their own last language, the default they chose)."""
    fallback = menu.last_language or config.default_language
    if digits == "0":
        return LanguageChosen(fallback, crisis=True)
    if menu.kind == "returning" and menu.last_language is not None:
        if digits == "1" or spoken_choice == menu.last_language:
            return LanguageChosen(menu.last_language)
        if digits == "2":
            return language_menu(config, crisis, attempt=1, last_language=menu.last_language)
    else:
        chosen = config.by_digit(digits) if digits else None
        if chosen is None and spoken_choice is not None:
            chosen = config.language(spoken_choice)
        if chosen is not None:
            return LanguageChosen(chosen.code)
    if menu.attempt < 2:
        if menu.kind == "returning" and menu.last_language is not None:
            return returning_menu(config, crisis, menu.last_language, attempt=menu.attempt + 1)
        return language_menu(config, crisis, attempt=menu.attempt + 1, last_language=menu.last_language)
    return LanguageChosen(fallback, defaulted=True)


def join_queue(config: HelplineConfig, chosen: LanguageChosen) -> JoinQueue:
    """The queue of the chosen language, joined at once (a listener may be rung while the caller still
    hears a sentence; a caller in danger hears that help is being called as the wait's first turn)."""
    lines: tuple[Line, ...] = ()
    if chosen.defaulted:
        lines = (
            say(
                "continue",
                messages.CONTINUE_IN_LANGUAGE,
                chosen.language,
                names={"language": chosen.language},
            ),
        )
    return JoinQueue(queue_name(config.association_id, chosen.language), chosen.language, lines)
