"""Keyed hashes by role and association: nobody with the database can join a caller's rows to a listener's,
nor follow one caller from one association to another."""

from __future__ import annotations

from sqlmodel import Session

from routing.phones import PhoneVault
from schemas.tables import (
    Association,
    AssociationLanguage,
    CallerProfile,
    Channel,
    Contact,
    Conversation,
    HelplineNumber,
    Listener,
)
from tests.text.conftest import NOW, TextHelpline

OTHER_NUMBER = "+14155550177"


def test_one_number_gives_different_keys_as_caller_and_listener_and_in_each_association() -> None:
    vault = PhoneVault("a secret for hashing numbers", "unused")
    number = "+919876543210"

    assert vault.caller_key(1, number) == vault.caller_key(1, number)
    assert vault.caller_key(1, number) != vault.listener_key(1, number)
    assert vault.caller_key(1, number) != vault.caller_key(2, number)
    assert vault.listener_key(1, number) != vault.listener_key(2, number)
    assert number not in vault.caller_key(1, number) + vault.listener_key(1, number)


def add_association(helpline: TextHelpline) -> int:
    """A second association with its own SMS number, on the same Samvaad."""
    helpline.sim.add_number(OTHER_NUMBER, sms_url="/messaging/incoming")
    with helpline.session() as session:
        association = Association(name="Another association", created_at=NOW)
        session.add(association)
        session.flush()
        assert association.id is not None
        session.add(AssociationLanguage(association_id=association.id, code="ta", digit=1, position=0))
        session.add(HelplineNumber(association_id=association.id, number=OTHER_NUMBER, channel=Channel.sms))
        session.commit()
        return association.id


def test_a_listener_who_texts_another_association_for_help_cannot_be_joined_to_their_listener_row(
    helpline: TextHelpline,
) -> None:
    other = add_association(helpline)
    doctor = helpline.listener("Asha")
    caller = helpline.caller()

    doctor.send_message(OTHER_NUMBER, "எனக்கு யாரிடமாவது பேச வேண்டும்")
    caller.send_message(OTHER_NUMBER, "எனக்கு யாரிடமாவது பேச வேண்டும்")
    helpline.text(caller, "எனக்கு யாரிடமாவது பேச வேண்டும்")

    listener_hashes = {row.phone_hash for row in helpline.rows(Listener)}
    caller_hashes = {
        row.caller_hash for table in (CallerProfile, Contact, Conversation) for row in helpline.rows(table)
    }
    assert listener_hashes and len(caller_hashes) == 3
    assert not listener_hashes & caller_hashes
    profiles = {row.association_id: row.caller_hash for row in helpline.rows(CallerProfile)}
    assert set(profiles) == {helpline.association_id, other}
    vault = helpline.services.vault
    assert vault.caller_key(other, doctor.number) in caller_hashes
    assert vault.caller_key(other, caller.number) != vault.caller_key(helpline.association_id, caller.number)
    with Session(helpline.services.engine) as session:
        asha = session.get(Listener, helpline.listeners["Asha"])
        assert asha is not None and asha.phone_hash == vault.listener_key(
            helpline.association_id, doctor.number
        )
