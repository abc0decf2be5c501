"""Use case: a caregiver texts a question and gets the fitting partner(s) back, briefly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import gsm0338  # noqa: F401 - registers the "gsm03.38" codec

from helpline.domain.calls import Call, Channel, Outcome
from helpline.domain.classification import Classification
from helpline.domain.directory import Partner
from helpline.domain.taxonomy import CallerType, Category
from helpline.domain.text import fold, number_runs, tokens
from helpline.services.calls import VoiceLine, logged_evidence, opening_text

_STOP = frozenset({"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "uitschrijven"})
_START = frozenset({"start", "unstop", "yes"})
_MAX_SEGMENTS = 2  # longer replies lose their second option first
_GSM_SEGMENT = 153  # septets in one part of a concatenated GSM-7 message
_UCS2_SEGMENT = 67  # characters in one part once a character falls outside GSM-7 ("ë")
_CRISIS_TEXTS = {
    Category.SUICIDE_RISK: "sms_crisis_suicide",
    Category.ABUSE_SAFETY: "sms_crisis_abuse",
    Category.ACUTE_MEDICAL: "sms_crisis_medical",
}


@dataclass(frozen=True, slots=True)
class IncomingSms:
    sid: str
    sender: str
    body: str


def handle_sms(line: VoiceLine, message: IncomingSms) -> str | None:
    """The reply to send, or None when the sender has opted out."""
    now = line.clock()
    key = line.pseudonymise(message.sender)
    word = fold(message.body)
    with line.unit_of_work() as uow:
        state = uow.conversations.load(key)
        if word in _STOP or word in _START:
            state["opted_out"] = word in _STOP
            uow.conversations.store(key, state, now)
            uow.commit()
            return line.texts.get(
                "sms_stopped" if word in _STOP else "sms_started", _language(state)
            )
        if state.get("opted_out"):
            return None
        pending = state.get("pending")
        earlier = uow.calls.get(str(pending["sid"])) if isinstance(pending, dict) else None
        call = earlier or Call(message.sid, Channel.SMS, key, now, language=_language(state))
        reply = _answer(line, call, state, message.body, now)
        uow.calls.save(call)
        uow.calls.add_transcript(call.sid, now, message.body)
        uow.conversations.store(key, state, now)
        uow.commit()
    return reply


def _language(state: dict[str, object]) -> str:
    return str(state.get("language", "nl"))


def _answer(line: VoiceLine, call: Call, state: dict[str, object], body: str, now: datetime) -> str:
    pending = state.pop("pending", None)
    result = line.router.classifier.classify(body)
    if isinstance(pending, dict) and result.category in (
        Category.UNCLEAR,
        Category(pending["category"]),
    ):
        result = Classification(
            Category(pending["category"]),
            CallerType(pending["caller_type"]),
            _area(line, body),
            0.0,
            (),
        )
    call.category, call.caller_type, call.area = (
        result.category.value,
        result.caller_type.value,
        result.area,
    )
    call.confidence = result.confidence
    call.evidence = logged_evidence(result)
    texts, language = line.texts, call.language
    label = line.router.rulebook.labels.get(result.category, {}).get(language, "")
    decision = line.router.decide(result, now)
    call.candidates = [c.partner.id for c in decision.candidates]
    if result.is_crisis:
        call.end(Outcome.CRISIS_ESCALATION, "sms", now)
        phone = decision.candidates[0].partner.phone if decision.candidates else ""
        return texts.get(_CRISIS_TEXTS[result.category], language, phone=phone)
    if result.category is Category.UNCLEAR or not decision.candidates:
        call.end(Outcome.HUNG_UP_BEFORE_ROUTE, "sms", now)
        text_id = "sms_unclear" if result.category is Category.UNCLEAR else "sms_no_partner"
        return texts.get(text_id, language, line=line.line_number)
    if decision.needs_area and not result.area:
        state["pending"] = {
            "sid": call.sid,
            "category": result.category.value,
            "caller_type": result.caller_type.value,
        }
        call.record_step(now, "postcode", result.category.value)
        return texts.get("sms_ask_postcode", language, label=label)
    call.partner_id = decision.candidates[0].partner.id
    call.end(Outcome.SMS_INFO_SENT, "sms", now)
    partners = [c.partner for c in (decision.open_candidates or decision.candidates)][:2]
    return _fit(line, partners, label, language, now)


def _area(line: VoiceLine, body: str) -> str | None:
    areas = line.router.classifier.areas
    for _, digits in number_runs(tokens(body)):
        if len(digits) >= 4 and areas.area_for_postcode(digits):
            return areas.area_for_postcode(digits)
    match = areas.find(tokens(body))
    return match.area if match else None


def _fit(line: VoiceLine, partners: list[Partner], label: str, language: str, now: datetime) -> str:
    """Options while they fit in two SMS segments; at least the first partner."""
    for count in range(len(partners), 0, -1):
        options = "; ".join(
            line.texts.get(
                "sms_option",
                language,
                name=p.name,
                phone=p.phone,
                hours=opening_text(p, now, line.texts, language),
            )
            for p in partners[:count]
        )
        text = line.texts.get("sms_route", language, label=label, options=options)
        if segments(text) <= _MAX_SEGMENTS:
            return text
    return _shorten(text)


def segments(text: str) -> int:
    """How many SMS parts the text costs: GSM-7 when it can be, otherwise UCS-2."""
    try:
        septets = len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return 1 if len(text) <= 70 else -(-len(text) // _UCS2_SEGMENT)
    return 1 if septets <= 160 else -(-septets // _GSM_SEGMENT)


def _shorten(text: str) -> str:
    while segments(text) > _MAX_SEGMENTS:
        text = text[:-10].rstrip() + "..."
    return text
