"""SMS conversations: short replies with partners, postcode follow-up, crisis, STOP/START."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from helpline.domain.calls import Outcome


def _text(phone, body: str, sid: str) -> str | None:  # type: ignore[no-untyped-def]
    status, xml = phone.post(
        "/twilio/sms", MessageSid=sid, From=phone.caller, To=phone.line_number, Body=body
    )
    assert status == 200
    message = ElementTree.fromstring(xml).find("Message")
    return None if message is None else message.text


def test_question_with_postcode_gets_partner_names_numbers_and_hours(phone, log_of, router):  # type: ignore[no-untyped-def]
    reply = _text(phone, "ik zoek hulp bij het huishouden voor mijn moeder, postcode 3082", "SM1")
    assert reply is not None
    assert len(reply) <= 306
    entry = log_of("SM1")
    partner = router.directory[entry.partner_id]
    assert partner.name in reply
    assert partner.phone in reply
    assert entry.outcome is Outcome.SMS_INFO_SENT
    assert entry.area == "Charlois"


def test_question_without_postcode_asks_for_it_and_remembers_the_question(phone, log_of):  # type: ignore[no-untyped-def]
    first = _text(phone, "ik zoek hulp bij het huishouden voor mijn vader", "SM1")
    assert first is not None
    assert "postcode" in first
    assert log_of("SM1").outcome is None
    second = _text(phone, "3073", "SM2")
    assert second is not None
    assert "+31" in second
    entry = log_of("SM1")
    assert entry.outcome is Outcome.SMS_INFO_SENT
    assert entry.area == "Feijenoord"
    assert log_of("SM2") is None, "the follow-up belongs to the same conversation"


def test_crisis_text_gets_the_crisis_numbers_at_once(phone, log_of):  # type: ignore[no-untyped-def]
    reply = _text(phone, "ik wil er een eind aan maken, ik kan niet meer", "SM1")
    assert reply is not None
    assert "0800-0113" in reply
    assert "112" in reply
    assert log_of("SM1").outcome is Outcome.CRISIS_ESCALATION
    abuse = _text(phone, "mijn broer slaat mijn moeder en pakt haar geld af", "SM2")
    assert abuse is not None
    assert "0800-2000" in abuse


def test_stop_silences_the_line_and_start_brings_it_back(phone):  # type: ignore[no-untyped-def]
    stopped = _text(phone, "STOP", "SM1")
    assert stopped is not None
    assert "START" in stopped
    assert _text(phone, "ik zoek hulp bij het huishouden, 3082", "SM2") is None
    assert _text(phone, "start", "SM3") is not None
    assert _text(phone, "ik zoek hulp bij het huishouden, 3082", "SM4") is not None


def test_unclear_text_invites_a_question_or_a_call(phone):  # type: ignore[no-untyped-def]
    reply = _text(phone, "hallo", "SM1")
    assert reply is not None
    assert phone.line_number in reply


def test_sms_segments_count_gsm_and_unicode_texts():
    from helpline.services.sms import segments

    assert segments("a" * 160) == 1
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("ë" * 70) == 1
    assert segments("ë" * 134) == 2
    assert segments("ë" * 135) == 3


@pytest.mark.parametrize(
    "question",
    [
        "ik zoek hulp bij het huishouden voor mijn moeder, postcode 3082",
        "vraag over mantelzorgwaardering en het pgb, ik woon in 3011",
        "ik zoek dagbesteding voor mijn vader in ommoord",
    ],
)
def test_replies_stay_within_two_sms_parts(phone, question):  # type: ignore[no-untyped-def]
    from helpline.services.sms import segments

    reply = _text(phone, question, "SM1")
    assert reply is not None
    assert segments(reply) <= 2
