"""Signatures, failures and the fallback: a voice webhook always answers TwiML to a human."""

from __future__ import annotations

from xml.etree import ElementTree

from sqlalchemy import text

from helpline.domain.calls import Outcome


def test_missing_or_wrong_signature_is_refused_with_403(app, caplog):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/twilio/voice", data={"CallSid": "CA1"}).status_code == 403
    wrong = client.post(
        "/twilio/voice", data={"CallSid": "CA1"}, headers={"X-Twilio-Signature": "bm90IGl0"}
    )
    assert wrong.status_code == 403
    assert client.post("/twilio/sms", data={"Body": "hoi"}).status_code == 403
    assert "rejected" in caplog.text


def test_signature_over_other_parameters_is_refused(phone):  # type: ignore[no-untyped-def]
    signature = phone.validator.compute_signature(
        "http://localhost/twilio/voice", {"CallSid": "CA1"}
    )
    response = phone.client.post(
        "/twilio/voice", data={"CallSid": "CA2"}, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 403


def test_public_url_is_what_the_signature_is_checked_against(settings, clock):  # type: ignore[no-untyped-def]
    from helpline.web.app import create_app
    from helpline.web.simulator import TwilioSimulator

    app = create_app(
        settings.model_copy(update={"public_url": "https://lijn.example.org"}), clock=clock
    )
    behind_proxy = TwilioSimulator(app, base_url="https://lijn.example.org")
    assert behind_proxy.post("/twilio/voice", CallSid="CA9", From="+31612345678")[0] == 200
    naive = TwilioSimulator(app)
    assert naive.post("/twilio/voice", CallSid="CA9", From="+31612345678")[0] == 403
    app.extensions["helpline"].engine.dispose()


def test_fallback_url_connects_to_the_operator_without_the_database(phone, app):  # type: ignore[no-untyped-def]
    app.extensions["helpline"].engine.dispose()
    status, body = phone.post("/twilio/voice/fallback", CallSid="CA1", From=phone.caller)
    twiml = ElementTree.fromstring(body)
    assert status == 200
    assert twiml.find("Say").get("language") == "nl-NL"
    assert twiml.find("Dial/Number").text == app.extensions["helpline"].settings.operator_number


def test_database_down_mid_call_still_reaches_a_human(phone, app, log_of):  # type: ignore[no-untyped-def]
    status, _ = phone.post("/twilio/voice", CallSid="CA7", From=phone.caller)
    assert status == 200
    services = app.extensions["helpline"]
    with services.engine.begin() as connection:
        connection.execute(text("DROP TABLE call_steps"))  # the database breaks under the call
    status, body = phone.post(
        "/twilio/voice/question",
        CallSid="CA7",
        From=phone.caller,
        SpeechResult="mijn moeder heeft dementie",
    )
    twiml = ElementTree.fromstring(body)
    assert status == 200
    assert twiml.find("Dial/Number").text == services.settings.operator_number


def test_a_crash_in_any_step_is_logged_with_the_call_id_and_answered_with_an_operator(
    phone, app, caplog, monkeypatch
):  # type: ignore[no-untyped-def]
    from helpline.services import calls

    def broken(journey, request):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setitem(calls.STEPS, "confirm", broken)
    status, body = phone.post("/twilio/voice/confirm", CallSid="CA8", From=phone.caller, Digits="1")
    assert status == 200
    assert ElementTree.fromstring(body).find("Dial") is not None
    assert "CA8" in caplog.text
    assert phone.caller not in caplog.text


def test_unknown_step_is_still_twiml_to_a_human(phone):  # type: ignore[no-untyped-def]
    status, body = phone.post("/twilio/voice/nonsense", CallSid="CA3", From=phone.caller)
    assert status == 200
    assert ElementTree.fromstring(body).find("Dial") is not None


def test_operator_queue_failure_dials_the_operator_desk(phone, log_of, app):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["0"]}, operator="queue-full")
    assert log.dialled[-1][0] == app.extensions["helpline"].settings.operator_number
    assert log_of(log.sid).outcome is Outcome.CONNECTED_OPERATOR
