"""An association's configuration: the association itself, its numbers, its language menu, its fallback
policies, its API keys, and the audit of every change. This package is its one door.

Changes flush with their audit entry and never commit: the caller (an API handler) commits once.
May import: ``routing.errors``, ``routing.phones``, ``locales``, ``schemas``; no other routing sub-package.
"""

from routing.configuration.api_keys import (
    describe_actor,
    find_valid_key,
    get_api_key,
    issue_api_key,
    list_api_keys,
    revoke_api_key,
)
from routing.configuration.associations import (
    create_association,
    delete_association,
    get_association,
    list_associations,
    update_association,
)
from routing.configuration.audit import Actor, Subject, list_changes, record_view
from routing.configuration.checks import canonical_code, check_language, check_number, check_time_zone
from routing.configuration.languages import (
    add_language,
    delete_language,
    get_language,
    list_languages,
    update_language,
)
from routing.configuration.numbers import add_number, delete_number, get_number, list_numbers, update_number
from routing.configuration.policies import (
    delete_policy,
    effective_steps,
    get_policy,
    list_policies,
    set_policy,
)

__all__ = [
    "Actor",
    "Subject",
    "add_language",
    "add_number",
    "canonical_code",
    "check_language",
    "check_number",
    "check_time_zone",
    "create_association",
    "delete_association",
    "delete_language",
    "delete_number",
    "delete_policy",
    "describe_actor",
    "effective_steps",
    "find_valid_key",
    "get_api_key",
    "get_association",
    "get_language",
    "get_number",
    "get_policy",
    "issue_api_key",
    "list_api_keys",
    "list_associations",
    "list_changes",
    "list_languages",
    "list_numbers",
    "list_policies",
    "record_view",
    "revoke_api_key",
    "set_policy",
    "update_association",
    "update_language",
    "update_number",
]
