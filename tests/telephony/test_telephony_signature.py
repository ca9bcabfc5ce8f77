"""X-Twilio-Signature: Twilio's reference vectors, and the URL Samvaad must rebuild behind a proxy."""

from starlette.datastructures import FormData, UploadFile

from telephony.signature import is_signed, sign

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
REPEATED: list[tuple[str, str | UploadFile]] = [
    ("Sid", "CA123"),
    ("SidAccount", "AC123"),
    ("Digits", "5678"),
    ("Digits", "1234"),
]


def test_sign_matches_twilio_reference_vectors() -> None:
    assert sign(TOKEN, URL, PARAMS) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert sign(TOKEN, URL, REPEATED) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_is_signed_accepts_the_reference_request_rebuilt_from_the_public_base_url() -> None:
    assert is_signed(
        TOKEN, "https://mycompany.com", "/myapp.php?foo=1&bar=2", PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    )


def test_is_signed_reads_every_value_of_a_repeated_form_field() -> None:
    form = FormData(REPEATED)
    assert is_signed(
        TOKEN, "https://mycompany.com/", "myapp.php?foo=1&bar=2", form, "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    )
    assert not is_signed(
        TOKEN, "https://mycompany.com", "/myapp.php?foo=1&bar=2", dict(form), "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    )


def test_a_signature_for_the_default_port_is_accepted() -> None:
    signature = sign(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS)
    assert is_signed(TOKEN, "https://mycompany.com", "/myapp.php?foo=1&bar=2", PARAMS, signature)


def test_the_internal_url_a_proxy_forwards_to_does_not_validate() -> None:
    signature = sign(TOKEN, URL, PARAMS)
    assert not is_signed(TOKEN, "http://mycompany.com", "/myapp.php?foo=1&bar=2", PARAMS, signature)
    assert not is_signed(TOKEN, "https://mycompany.com", "/myapp.php", PARAMS, signature)
    assert not is_signed(TOKEN, "https://mycompany.com", "/myapp.php?bar=2&foo=1", PARAMS, signature)


def test_missing_or_wrong_signatures_and_tampered_params_are_rejected() -> None:
    signature = sign(TOKEN, URL, PARAMS)
    assert not is_signed(TOKEN, "https://mycompany.com", "/myapp.php?foo=1&bar=2", PARAMS, None)
    assert not is_signed(TOKEN, "https://mycompany.com", "/myapp.php?foo=1&bar=2", PARAMS, "")
    assert not is_signed("other-token", "https://mycompany.com", "/myapp.php?foo=1&bar=2", PARAMS, signature)
    tampered = {**PARAMS, "Digits": "9"}
    assert not is_signed(TOKEN, "https://mycompany.com", "/myapp.php?foo=1&bar=2", tampered, signature)
