"""Who may sign in to the web app, and how: accounts found by phone (listeners and staff), one-time codes,
sessions, and the staff directory (coordinators and admins). This package is its door.

May import: ``routing.text`` (a message to send), ``routing.roster``, ``routing.configuration``, ``routing.engine``, ``routing.errors``,
``routing.phones``, ``locales``, ``schemas``.
"""

from routing.access.accounts import Account, account_of, find_accounts
from routing.access.codes import CODE_MINUTES, MAX_TRIES, SignInCodes
from routing.access.delivery import code_message
from routing.access.sessions import WebSession, WebSessions
from routing.access.staff import create_staff, delete_staff, get_staff, list_staff, update_staff

__all__ = [
    "CODE_MINUTES",
    "MAX_TRIES",
    "Account",
    "SignInCodes",
    "WebSession",
    "WebSessions",
    "account_of",
    "code_message",
    "create_staff",
    "delete_staff",
    "find_accounts",
    "get_staff",
    "list_staff",
    "update_staff",
]
