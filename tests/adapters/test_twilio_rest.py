"""Twilio's REST API behind the Telephony port, against a local server that behaves like it."""

from __future__ import annotations

from helpline.adapters.telephony.rest import TwilioTelephony


def test_sms_and_calls_go_to_the_api_with_credentials(twilio_api):  # type: ignore[no-untyped-def]
    telephony = TwilioTelephony("AC" + "1" * 32, "secret", "+31800000000", twilio_api.url)
    sid = telephony.send_sms("+31612345678", "Mantelzorglijn: test")
    assert sid.startswith("SM")
    (sms,) = twilio_api.messages()
    assert sms == {"To": "+31612345678", "From": "+31800000000", "Body": "Mantelzorglijn: test"}
    call_sid = telephony.place_call(
        "+31612345678", "https://lijn.example.org/x", "https://lijn.example.org/s"
    )
    assert call_sid.startswith("CA")
    (call,) = twilio_api.calls()
    assert call["Url"] == "https://lijn.example.org/x"
    assert call["StatusCallback"] == "https://lijn.example.org/s"
    assert twilio_api.requests[0][0] == f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
