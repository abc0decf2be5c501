"""Whole calls played through the app the way Twilio does: signed posts, TwiML parsed as XML."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpline.domain.calls import DialStatus, Outcome

VEILIG_THUIS = "+318002000"
ZELFMOORDPREVENTIE = "+318000113"


def _all_verbs(log, tag):  # type: ignore[no-untyped-def]
    return [el for doc in log.documents for el in doc.iter(tag)]


def test_every_say_and_gather_names_dutch_by_default(phone):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["mijn vader heeft alzheimer wat nu"], "confirm": ["1"]})
    says = _all_verbs(log, "Say")
    gathers = _all_verbs(log, "Gather")
    assert says
    assert gathers
    assert {s.get("language") for s in says} == {"nl-NL"}
    assert {g.get("language") for g in gathers} == {"nl-NL"}
    assert "speech" in gathers[0].get("input")
    assert "dtmf" in gathers[0].get("input")
    assert "dementie" in gathers[0].get("hints")


def test_caller_is_heard_read_back_and_connected_to_dementia_partner(phone, log_of, router):  # type: ignore[no-untyped-def]
    log = phone.call(
        {
            "question": ["mijn moeder heeft dementie en ik weet niet meer wat ik moet doen"],
            "confirm": ["ja"],
        }
    )
    assert any("dementie" in line for line in log.heard), "the question is read back before acting"
    number, outcome = log.dialled[0]
    partner = next(p for p in router.directory if p.phone == number)
    assert partner.type.value == "dementia_case_management"
    assert outcome == "answered"
    assert any("dementie" in w for w in log.whispers), "the partner hears what the call is about"
    entry = log_of(log.sid)
    assert entry.outcome is Outcome.CONNECTED_PARTNER
    assert entry.partner_id == partner.id
    assert entry.category == "dementia"
    assert entry.talk_time == 180
    assert entry.connected_after is not None
    assert entry.connected_after < 60
    dial = _all_verbs(log, "Dial")[0]
    assert dial.get("callerId") == phone.line_number
    assert dial.get("timeout")
    assert dial.get("action")


@pytest.mark.parametrize(
    ("said", "category"),
    [
        ("ik ben zo moe en overbelast ik moet gewoon even mijn verhaal kwijt", "emotional_support"),
        (
            "ik wil respijtzorg zodat ik een weekend weg kan, hij gaat dan naar een logeerhuis",
            "respite_care",
        ),
        (
            "wij zoeken hulp bij het huishouden en boodschappen doen voor mijn moeder",
            "practical_help",
        ),
        (
            "hoe vraag ik een wmo voorziening aan en hoe gaat zo een keukentafelgesprek",
            "care_arrangements",
        ),
        ("ik heb een vraag over het pgb en de eigen bijdrage van het cak", "money_and_law"),
        ("mijn vader heeft last van incontinentie en doorligplekken wat kan ik doen", "health"),
        ("mijn moeder heeft alzheimer en dwaalt s nachts door het huis", "dementia"),
        ("ik ben vijftien en ik zorg na school voor mijn zieke moeder", "young_carers"),
    ],
)
def test_each_category_reaches_a_fitting_partner(phone, log_of, router, said, category):  # type: ignore[no-untyped-def]
    log = phone.call({"question": [said], "confirm": ["1"], "postcode": ["3082"], "choose": ["1"]})
    entry = log_of(log.sid)
    assert entry.category == category
    assert entry.outcome is Outcome.CONNECTED_PARTNER
    partner = router.directory[entry.partner_id]
    assert entry.candidates[0] in router.directory
    assert partner.serves_area("Charlois") or partner.is_citywide


def test_postcode_is_asked_when_the_route_needs_an_area(phone, log_of, router):  # type: ignore[no-untyped-def]
    log = phone.call(
        {
            "question": ["ik zoek hulp bij het huishouden voor mijn vader"],
            "confirm": ["1"],
            "postcode": ["3073"],
            "choose": ["1"],
        }
    )
    assert any("postcode" in h for h in log.heard)
    entry = log_of(log.sid)
    assert entry.area == "Feijenoord"
    assert router.directory[entry.partner_id].serves_area("Feijenoord")


def test_suicide_risk_is_escalated_to_113_before_anything_else_is_asked(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call(
        {
            "question": [
                "ik zie het echt niet meer zitten ik wil er niet meer zijn de zorg is te veel"
            ]
        }
    )
    assert log.dialled[0][0] == ZELFMOORDPREVENTIE
    assert not any("Klopt dat" in h for h in log.heard), "no read-back before a crisis escalation"
    assert log_of(log.sid).outcome is Outcome.CRISIS_ESCALATION


def test_abuse_is_escalated_to_veilig_thuis(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["hij slaat me als hij in de war is ik ben bang voor hem"]})
    assert log.dialled[0][0] == VEILIG_THUIS
    assert log_of(log.sid).outcome is Outcome.CRISIS_ESCALATION


def test_acute_medical_tells_caller_to_dial_112_and_offers_the_gp_service(
    phone, log_of, router, clock
):  # type: ignore[no-untyped-def]
    clock.now = datetime(
        2026, 11, 24, 21, 0, tzinfo=UTC
    )  # 22:00: the out-of-hours GP service is open
    log = phone.call(
        {
            "question": ["ze is gevallen en komt niet meer overeind en ze reageert niet"],
            "medical": ["1"],
        }
    )
    assert any("112" in h for h in log.heard)
    partner = next(p for p in router.directory if p.phone == log.dialled[0][0])
    assert partner.type.value in ("gp_out_of_hours", "gp_practice")
    assert log_of(log.sid).outcome is Outcome.CRISIS_ESCALATION


def test_acute_caller_who_hangs_up_to_dial_112_counts_as_escalated(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["hij krijgt geen lucht meer en wordt helemaal blauw"]})
    assert log_of(log.sid).outcome is Outcome.CRISIS_ESCALATION
    assert not log.dialled


def test_no_answer_and_busy_move_on_to_the_next_partner_then_the_operator(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call(
        {"question": ["mijn moeder heeft dementie"], "confirm": ["1"]},
        partners=["no-answer", "busy", "failed", "no-answer", "busy", "failed"],
    )
    assert len(log.dialled) >= 2
    assert len({n for n, _ in log.dialled}) == len(log.dialled), "no partner is dialled twice"
    assert log.queued
    entry = log_of(log.sid)
    assert entry.outcome is Outcome.CONNECTED_OPERATOR
    assert [a.status for a in entry.attempts][:2] == [DialStatus.NO_ANSWER, DialStatus.BUSY]


def test_a_partner_that_keeps_failing_is_tried_last(phone, router):  # type: ignore[no-untyped-def]
    first = None
    for _ in range(3):
        log = phone.call(
            {"question": ["mijn moeder heeft dementie"], "confirm": ["1"]},
            partners=["no-answer", "answered"],
        )
        first = first or log.dialled[0][0]
        assert log.dialled[0][0] == first
    log = phone.call({"question": ["mijn moeder heeft dementie"], "confirm": ["1"]})
    assert log.dialled[0][0] != first


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 29, 2, 0, tzinfo=UTC),  # Sunday 03:00 in Rotterdam
        datetime(2026, 12, 25, 11, 0, tzinfo=UTC),  # Christmas Day, noon
    ],
)
def test_nobody_open_offers_a_callback_that_is_recorded_scheduled_and_confirmed(
    app, phone, log_of, clock, twilio_api, moment
):  # type: ignore[no-untyped-def]
    clock.now = moment
    log = phone.call(
        {
            "question": ["ik heb een vraag over het pgb en de eigen bijdrage"],
            "confirm": ["1"],
            "postcode": ["3011"],
            "callback": ["1"],
        }
    )
    assert any("terugbellen" in h or "teruggebeld" in h for h in log.heard)
    entry = log_of(log.sid)
    assert entry.outcome is Outcome.CALLBACK_AGREED
    services = app.extensions["helpline"]
    jobs = services.scheduler.pending()
    assert len(jobs) == 1
    assert jobs[0][1] > moment
    sms = twilio_api.messages()
    assert len(sms) == 1
    assert sms[0]["To"] == phone.caller
    assert "we bellen u" in sms[0]["Body"]
    with services.line.unit_of_work() as uow:
        (promise,) = uow.callbacks.all()
        assert promise.status.value == "agreed"
        assert promise.due_at == jobs[0][1]
        assert uow.callbacks.number(promise.id) == phone.caller


def test_caller_can_choose_the_operator_instead_of_a_callback(phone, log_of, clock):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    log = phone.call(
        {
            "question": ["ik heb een vraag over het pgb"],
            "confirm": ["1"],
            "postcode": ["3011"],
            "callback": ["2"],
        }
    )
    assert log.queued
    assert log_of(log.sid).outcome is Outcome.CONNECTED_OPERATOR


@pytest.mark.parametrize("step", ["question", "confirm", "postcode"])
def test_operator_key_works_at_each_step(phone, log_of, step):  # type: ignore[no-untyped-def]
    script = {
        "question": ["ik zoek hulp bij het huishouden"],
        "confirm": ["1"],
        "postcode": ["3082"],
    }
    script[step] = ["0"]
    log = phone.call(script)
    assert log.queued
    assert log_of(log.sid).outcome is Outcome.CONNECTED_OPERATOR


def test_unclear_speech_twice_goes_to_an_operator(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["eh hallo", "ja hoort u mij"]})
    assert sum("niet goed verstaan" in h for h in log.heard) == 1, "asked again exactly once"
    assert log.queued
    entry = log_of(log.sid)
    assert entry.outcome is Outcome.CONNECTED_OPERATOR
    assert entry.outcome_step == "operator"


def test_silence_is_asked_again_then_handed_to_a_human(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": [None, None]})
    assert log.queued


def test_operator_hold_message_tells_the_caller_their_place(phone):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["0"]})
    assert any("nummer 2 in de wacht" in h for h in log.heard)


def test_english_callers_hear_english(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call(
        {"question": ["9", "my mother has dementia and I need advice"], "confirm": ["yes"]}
    )
    later = list(_all_verbs(log, "Gather"))[1:]
    assert later
    assert all(g.get("language") == "en-GB" for g in later)
    assert any("dementia" in h for h in log.heard)
    assert log_of(log.sid).language == "en"


def test_caller_who_hangs_up_before_a_route_is_logged_so(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({})
    entry = log_of(log.sid)
    assert entry.outcome is Outcome.HUNG_UP_BEFORE_ROUTE
    assert entry.outcome_step == "question"


def test_repeated_status_callbacks_change_nothing(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["mijn moeder heeft dementie"], "confirm": ["1"]})
    before = log_of(log.sid)
    for _ in range(3):
        status, _ = phone.post(
            "/twilio/voice/status", CallSid=log.sid, From=phone.caller, CallStatus="completed"
        )
        assert status == 200
    after = log_of(log.sid)
    assert after.outcome is before.outcome
    assert len(after.steps) == len(before.steps)


def test_hand_off_log_keeps_no_phone_number(app, phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["mijn moeder heeft dementie"], "confirm": ["1"]})
    entry = log_of(log.sid)
    assert phone.caller not in repr(entry)
    assert phone.caller[3:] not in repr(entry)
    assert len(entry.caller_key) == 32


def test_partner_details_arrive_by_sms_when_the_caller_asks(phone, twilio_api, router, log_of):  # type: ignore[no-untyped-def]
    log = phone.call(
        {"question": ["mijn moeder heeft dementie"], "confirm": ["1"], "sms-consent": ["1"]}
    )
    entry = log_of(log.sid)
    partner = router.directory[entry.partner_id]
    (sms,) = twilio_api.messages()
    assert sms["To"] == phone.caller
    assert partner.phone in sms["Body"]
    assert partner.name in sms["Body"]
    assert entry.sms_consent
    assert any("sms is verstuurd" in h for h in log.heard)


def test_a_failing_sms_is_not_promised_to_the_caller(app, phone, twilio_api, log_of):  # type: ignore[no-untyped-def]
    twilio_api.shutdown()
    twilio_api.server_close()
    log = phone.call(
        {"question": ["mijn moeder heeft dementie"], "confirm": ["1"], "sms-consent": ["1"]}
    )
    assert not any("sms is verstuurd" in h for h in log.heard)
    assert log_of(log.sid).outcome is Outcome.CONNECTED_PARTNER


def test_caller_chooses_between_equivalent_open_partners(phone, router, log_of):  # type: ignore[no-untyped-def]
    script = {
        "question": ["hoe werkt een wmo aanvraag en het keukentafelgesprek"],
        "confirm": ["1"],
        "postcode": ["#"],
        "choose": ["2"],
    }
    log = phone.call(script)
    offer = next(h for h in log.heard if "Toets 1 voor" in h)
    assert "Toets 2 voor" in offer
    names = [p.name for p in router.directory if p.name in offer]
    assert len(names) >= 2
    chosen = router.directory[log_of(log.sid).partner_id]
    assert offer.index(f"Toets 2 voor {chosen.name}") >= 0
    assert log.dialled[0][0] == chosen.phone


@pytest.fixture
def weak_crisis(app, monkeypatch):  # type: ignore[no-untyped-def]
    """The classifier hears a need with a crisis signal too weak to escalate on its own."""
    from helpline.domain.classification import Classification
    from helpline.domain.taxonomy import CallerType, Category

    classifier = app.extensions["helpline"].router.classifier
    real = classifier.classify
    weak = Classification(
        Category.HEALTH,
        CallerType.CAREGIVER,
        None,
        0.5,
        (),
        scores=(("acute_medical", 1.5), ("health", 1.5)),
        worry=Category.ACUTE_MEDICAL,
    )
    monkeypatch.setattr(
        classifier, "classify", lambda text, **kw: weak if "benauwd" in text else real(text, **kw)
    )
    return "ze is erg benauwd"


def test_a_weak_crisis_signal_gets_a_safety_question_and_yes_escalates(phone, log_of, weak_crisis):  # type: ignore[no-untyped-def]
    log = phone.call({"question": [weak_crisis], "safety": ["ja"], "medical": ["0"]})
    assert any("veilig" in h for h in log.heard)
    assert any("112" in h for h in log.heard)
    assert log_of(log.sid).state.get("crisis") is True


def test_no_to_the_safety_question_reads_the_need_back(phone, log_of, weak_crisis):  # type: ignore[no-untyped-def]
    log = phone.call({"question": [weak_crisis], "safety": ["2"], "confirm": ["1"]})
    assert any("veilig" in h for h in log.heard)
    assert any("Klopt dat" in h for h in log.heard)
    entry = log_of(log.sid)
    assert not entry.state.get("crisis")
    assert entry.category == "health"


def test_every_say_names_a_voice_that_speaks_its_language(phone):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["9", "my father has dementia"], "confirm": ["yes"]})
    voices = {(s.get("language"), s.get("voice")) for s in _all_verbs(log, "Say")}
    assert voices == {("nl-NL", "Polly.Lotte"), ("en-GB", "Polly.Amy")}


def test_operator_key_when_choosing_between_partners(phone, log_of):  # type: ignore[no-untyped-def]
    script = {"question": ["vraag over de wmo aanvraag"], "confirm": ["1"], "postcode": ["#"]}
    log = phone.call({**script, "choose": ["0"]})
    assert log.queued
    assert log_of(log.sid).outcome is Outcome.CONNECTED_OPERATOR


def test_operator_key_when_offered_a_callback(phone, log_of, clock):  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    script = {"question": ["vraag over het pgb"], "confirm": ["1"], "postcode": ["3011"]}
    log = phone.call({**script, "callback": ["0"]})
    assert log.queued


def test_operator_key_after_the_112_advice(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call({"question": ["hij krijgt geen lucht meer"], "medical": ["0"]})
    assert any("112" in h for h in log.heard)
    assert log.queued


def test_hand_off_log_records_each_step_in_order(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call(
        {"question": ["mijn moeder heeft dementie"], "confirm": ["1"]}, partners=["busy"]
    )
    entry = log_of(log.sid)
    steps = [step for _, step, _ in entry.steps]
    assert steps[:4] == ["welcome", "question", "read_back", "confirmed"]
    assert steps.count("dial") == 2
    assert steps[-1] == "outcome"
    assert [a.status for a in entry.attempts] == [DialStatus.BUSY, DialStatus.COMPLETED]
    assert entry.candidates[: len(entry.attempts)] == [a.partner_id for a in entry.attempts]
    assert entry.evidence
    assert entry.confidence > 0


def test_hand_off_log_keeps_the_rules_not_the_callers_words(phone, log_of):  # type: ignore[no-untyped-def]
    log = phone.call(
        {"question": ["eh mijn tante uit groningen heeft alzheimer"], "confirm": ["1"]}
    )
    entry = log_of(log.sid)
    assert any("alzheimer*" in e for e in entry.evidence)
    assert not any("groningen" in e or "tante" in e for e in entry.evidence)
