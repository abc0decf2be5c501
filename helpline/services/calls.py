"""Use case: a caller's journey through the voice line, one webhook step at a time.

Every step loads the call, decides what the caller hears next, records what happened and
returns instructions (domain/voice.py) that the web layer renders as TwiML. The order of a
call: welcome -> question -> (crisis: escalate at once) -> read back -> postcode when the route
needs one -> choice between equivalent partners -> dial, next partner on no answer -> operator.
When nobody fitting is open the caller may agree a callback at the partner's next opening.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from helpline.domain.calls import Call, CallbackPromise, Channel, DialAttempt, DialStatus, Outcome
from helpline.domain.classification import Classification
from helpline.domain.directory import AMSTERDAM, Partner
from helpline.domain.routing import Candidate, Router, RoutingDecision
from helpline.domain.taxonomy import CallerType, Category
from helpline.domain.text import fold, number_runs, tokens
from helpline.domain.texts import SPEECH_LANGUAGES, Texts
from helpline.domain.voice import Ask, Connect, Hangup, Instruction, Pause, Queue, Redirect, Say
from helpline.services.ports import (
    CallbackScheduler,
    Clock,
    Pseudonymiser,
    Telephony,
    UnitOfWork,
)

log = logging.getLogger(__name__)
PATH = "/twilio/voice"
_YES = frozenset(
    {
        "ja",
        "jazeker",
        "jawel",
        "klopt",
        "correct",
        "precies",
        "inderdaad",
        "yes",
        "yeah",
        "yep",
        "right",
        "oke",
        "ok",
        "goed",
    }
)
_NO = frozenset({"nee", "neen", "nope", "no", "niet", "fout", "verkeerd", "wrong"})
_MAX_ASKS = 2
_FAILURE_WINDOW = timedelta(hours=1)
_FAILURES_BEFORE_LAST = 3
_LOAD_WINDOW = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class VoiceRequest:
    """What Twilio posted, reduced to what the journey needs."""

    sid: str
    caller: str = ""
    speech: str = ""
    digits: str = ""
    dial_status: str = ""
    dial_duration: int = 0
    queue_result: str = ""
    queue_position: int = 0
    call_status: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VoiceLine:
    """The ports and settings the journey needs; built once by the app factory."""

    current_router: Callable[[], Router]  # the data as it is now: coordinators edit it live
    texts: Texts
    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    pseudonymise: Pseudonymiser
    telephony: Telephony
    scheduler: CallbackScheduler
    line_number: str
    operator_number: str
    operator_queue: str = "operators"
    ring_timeout: int = 20

    @property
    def router(self) -> Router:
        return self.current_router()


Reply = list[Instruction]


class Journey:
    """One step of one call: `call`, the line, and helpers to say things in its language."""

    def __init__(self, line: VoiceLine, call: Call, uow: UnitOfWork, now: datetime) -> None:
        self.line, self.call, self.uow, self.now = line, call, uow, now
        self.router = line.router  # one version of the data for the whole step
        self.after_commit: list[Callable[[], object]] = []  # outside effects, once recorded

    # -- speaking ---------------------------------------------------------------------------
    def say(self, text_id: str, **params: object) -> Say:
        return Say(self.line.texts.get(text_id, self.call.language, **params), self.call.language)

    def ask(
        self,
        text_id: str,
        action: str,
        *,
        digits: int | None = 1,
        speech: bool = True,
        hints: tuple[str, ...] = (),
        **params: object,
    ) -> Ask:
        return Ask(
            prompt=(self.say(text_id, **params),),
            action=f"{PATH}/{action}",
            speech=speech,
            digits=digits,
            hints=hints,
            language=SPEECH_LANGUAGES[self.call.language],
        )

    def label(self) -> str:
        category = Category(self.call.category or Category.UNCLEAR)
        labels = self.router.rulebook.labels.get(category, {})
        return labels.get(self.call.language) or labels.get("nl") or category.value

    def step(self, name: str, detail: str = "") -> None:
        self.call.state["step"] = name
        self.call.record_step(self.now, name, detail)

    def end(self, outcome: Outcome, step: str) -> None:
        self.call.end(outcome, step, self.now)

    # -- the question -------------------------------------------------------------------------
    def ask_question(self, again: bool = False) -> Reply:
        self.call.state["asks"] = int(self.call.state.get("asks", 0)) + 1
        self.step("question")
        prompt = "ask_again" if again else "ask_question"
        return [
            self.ask(prompt, "question", hints=self.router.rulebook.hints),
            Redirect(f"{PATH}/question"),
        ]

    def read_back(self) -> Reply:
        self.step("read_back", self.call.category or "")
        self.call.state["confirms"] = 1
        return [
            self.ask("read_back", "confirm", hints=("ja", "nee", "klopt"), label=self.label()),
            Redirect(f"{PATH}/confirm"),
        ]

    def check_safety(self, worry: Category) -> Reply:
        self.call.state.update(safety_asked=True, worry=worry.value)
        self.step("safety_check", worry.value)
        return [
            self.ask("safety_check", "safety", hints=("ja", "nee")),
            Redirect(f"{PATH}/safety"),
        ]

    def classification(self) -> Classification:
        return Classification(
            category=Category(self.call.category or Category.UNCLEAR),
            caller_type=CallerType(self.call.caller_type or CallerType.CAREGIVER),
            area=self.call.area,
            confidence=self.call.confidence or 0.0,
            evidence=(),
        )

    def remember(self, result: Classification) -> None:
        self.call.category = result.category.value
        self.call.caller_type = result.caller_type.value
        self.call.area = self.call.area or result.area
        self.call.confidence = result.confidence
        self.call.evidence = logged_evidence(result)

    # -- routing ------------------------------------------------------------------------------
    def decide(self) -> RoutingDecision:
        calls = self.uow.calls
        return self.router.decide(
            self.classification(),
            self.now,
            load=calls.handoff_counts(self.now - _LOAD_WINDOW),
            failing=calls.failing_partners(self.now - _FAILURE_WINDOW, _FAILURES_BEFORE_LAST),
        )

    def route(self) -> Reply:
        decision = self.decide()
        self.call.candidates = [c.partner.id for c in decision.candidates]
        if decision.needs_area and not self.call.area and not self.call.state.get("postcode_asks"):
            return self.ask_postcode()
        choices = decision.choices()
        if len(choices) > 1:
            return self.offer_choice(choices)
        if decision.open_candidates:
            return self.dial_in_order([c.partner.id for c in decision.open_candidates])
        if decision.next_opening is not None:
            return self.offer_callback(decision.next_opening)
        return self.to_operator("no_partner")

    def ask_postcode(self, again: bool = False) -> Reply:
        self.call.state["postcode_asks"] = int(self.call.state.get("postcode_asks", 0)) + 1
        self.step("postcode")
        prompt = "ask_postcode_again" if again else "ask_postcode"
        return [self.ask(prompt, "postcode", digits=4), Redirect(f"{PATH}/postcode")]

    def offer_choice(self, choices: tuple[Candidate, ...]) -> Reply:
        shown = choices[:4]
        self.call.state["choices"] = [c.partner.id for c in shown]
        self.step("choose", ",".join(self.call.state["choices"]))
        options = " ".join(
            self.line.texts.get("choose_option", self.call.language, digit=i, name=c.partner.name)
            for i, c in enumerate(shown, start=1)
        )
        return [
            self.ask("choose_partner", "choose", speech=False, count=len(shown), options=options),
            Redirect(f"{PATH}/choose"),
        ]

    def dial_in_order(self, partner_ids: list[str], lead: tuple[Instruction, ...] = ()) -> Reply:
        directory = self.router.directory
        first, *rest = partner_ids
        partner = directory[first]
        self.call.state["dial_queue"] = rest
        self.call.attempts.append(DialAttempt(partner.id, self.now))
        self.step("dial", partner.id)
        intro = lead or (self.say("connecting", name=partner.name),)
        return [*intro, self.connect(partner)]

    def connect(self, partner: Partner) -> Connect:
        return Connect(
            number=partner.phone,
            action=f"{PATH}/dialled",
            whisper=f"{PATH}/whisper?sid={self.call.sid}",
            caller_id=self.line.line_number,
            timeout=self.line.ring_timeout,
        )

    def offer_callback(self, candidate: Candidate) -> Reply:
        opening = candidate.next_opening or self.now
        self.call.state["callback"] = {
            "partner": candidate.partner.id,
            "at": opening.isoformat(),
        }
        self.step("callback_offer", candidate.partner.id)
        when = spoken_moment(opening, self.now, self.line.texts, self.call.language)
        return [
            self.ask(
                "offer_callback", "callback", speech=False, name=candidate.partner.name, when=when
            ),
            Redirect(f"{PATH}/callback?timeout=1"),
        ]

    def to_operator(self, reason: str) -> Reply:
        self.step("operator", reason)
        return [
            self.say("to_operator"),
            Queue(self.line.operator_queue, wait_url=f"{PATH}/hold", action=f"{PATH}/queued"),
        ]

    def escalate(self, result: Classification) -> Reply:
        decision = self.decide()
        self.call.candidates = [c.partner.id for c in decision.candidates]
        self.call.state["crisis"] = True
        self.step("crisis", result.category.value)
        if result.category is Category.ACUTE_MEDICAL:
            self.call.state["told_112"] = True
            return [
                self.ask("crisis_medical", "medical", speech=False),
                Redirect(f"{PATH}/medical"),
            ]
        open_now = [c.partner.id for c in decision.open_candidates]
        if not open_now:
            return self.to_operator("crisis_line_unavailable")
        text_id = "crisis_suicide" if result.category is Category.SUICIDE_RISK else "crisis_abuse"
        return self.dial_in_order(open_now, lead=(self.say(text_id),))


def logged_evidence(result: Classification) -> list[str]:
    """The cues and rules that counted, without the caller's own words: those stay in the
    transcript, which is purged on schedule; the hand-off log is kept for research."""
    return [f"{e.cue} ({e.target} {e.weight:+g})" for e in result.evidence]


def spoken_moment(moment: datetime, now: datetime, texts: Texts, language: str) -> str:
    """'morgen om 09:00', 'maandag 24 november om 09:00', in the caller's language."""
    local, today = moment.astimezone(AMSTERDAM), now.astimezone(AMSTERDAM).date()
    if local.date() == today:
        day = texts.get("today", language)
    elif local.date() == today + timedelta(days=1):
        day = texts.get("tomorrow", language)
    else:
        day = (
            _DAY_NAMES[language][local.weekday()]
            + f" {local.day} "
            + _MONTHS[language][local.month - 1]
        )
    return texts.get("when_format", language, day=day, time=local.strftime("%H:%M"))


_DAY_NAMES = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def answer_of(request: VoiceRequest) -> str:
    """'yes', 'no', 'operator' or '' from keys or speech ("ja hoor", "nee dat klopt niet")."""
    if request.digits:
        return {"1": "yes", "2": "no", "0": "operator"}.get(request.digits[:1], "")
    words = set(fold(request.speech).split())
    if words & _NO or "klopt niet" in fold(request.speech):
        return "no"
    if words & _YES:
        return "yes"
    if words & {"medewerker", "operator", "mens", "iemand"}:
        return "operator"
    return ""


# -- steps: each takes the journey and what Twilio posted, and returns what happens next ----


def on_incoming(journey: Journey, _request: VoiceRequest) -> Reply:
    journey.step("welcome")
    return [journey.say("welcome"), *journey.ask_question()]


def on_question(journey: Journey, request: VoiceRequest) -> Reply:
    call = journey.call
    if request.digits.startswith("0"):
        return journey.to_operator("caller_pressed_0")
    if request.digits.startswith("9") and call.language != "en":
        call.language = "en"
        call.state["asks"] = 0
        return journey.ask_question()
    return _understand(journey, request.speech.strip())


def _understand(journey: Journey, text: str) -> Reply:
    """Classify what was said: crisis first, a safety question on a weak signal, else read back."""
    call = journey.call
    if text:
        journey.uow.calls.add_transcript(call.sid, journey.now, text)
    result = journey.router.classifier.classify(text) if text else None
    if result is not None:
        journey.remember(result)
    worry = result.worry if result else None
    if worry is not None and not call.state.get("safety_asked"):
        return journey.check_safety(worry)
    if result is None or result.category is Category.UNCLEAR:
        if int(call.state.get("asks", 0)) < _MAX_ASKS:
            return journey.ask_question(again=True)
        return journey.to_operator("unclear_twice")
    if result.is_crisis:
        return journey.escalate(result)
    return journey.read_back()


def on_safety(journey: Journey, request: VoiceRequest) -> Reply:
    """The answer to "is anyone in danger now?": yes escalates, no goes on with the question."""
    answer = answer_of(request)
    worry = Category(str(journey.call.state.get("worry", Category.SUICIDE_RISK)))
    if answer == "yes":
        journey.call.category = worry.value
        return journey.escalate(journey.classification())
    if answer == "no" and journey.call.category not in (None, Category.UNCLEAR.value):
        return journey.read_back()
    if answer == "no":
        return journey.ask_question(again=True)
    return journey.to_operator("safety_unanswered")


def on_confirm(journey: Journey, request: VoiceRequest) -> Reply:
    call = journey.call
    answer = answer_of(request)
    if answer == "yes":
        journey.step("confirmed", call.category or "")
        return journey.route()
    if answer == "operator":
        return journey.to_operator("caller_pressed_0")
    if answer == "no":
        call.category = None
        if int(call.state.get("asks", 0)) < _MAX_ASKS:
            return journey.ask_question(again=True)
        return journey.to_operator("not_understood")
    if int(call.state.get("confirms", 0)) < _MAX_ASKS:
        call.state["confirms"] = int(call.state.get("confirms", 0)) + 1
        return [
            journey.ask("read_back_again", "confirm", label=journey.label()),
            Redirect(f"{PATH}/confirm"),
        ]
    return journey.to_operator("no_confirmation")


def on_postcode(journey: Journey, request: VoiceRequest) -> Reply:
    if request.digits.startswith("0") and len(request.digits) == 1:
        return journey.to_operator("caller_pressed_0")
    areas = journey.router.classifier.areas
    said = request.digits.strip("#") or request.speech
    runs = [digits for _, digits in number_runs(tokens(said))]
    area = next((a for a in (areas.area_for_postcode(d) for d in runs if len(d) >= 4) if a), None)
    if area is None and request.speech:
        match = areas.find(tokens(request.speech))
        area = match.area if match else None
    if area is None and said and int(journey.call.state.get("postcode_asks", 0)) < _MAX_ASKS:
        return journey.ask_postcode(again=True)
    journey.call.area = area
    journey.step("postcode_known" if area else "postcode_unknown", area or "")
    return journey.route()


def on_choose(journey: Journey, request: VoiceRequest) -> Reply:
    choices: list[str] = list(journey.call.state.get("choices", []))
    if request.digits.startswith("0"):
        return journey.to_operator("caller_pressed_0")
    index = int(request.digits[0]) - 1 if request.digits[:1].isdigit() else 0
    chosen = choices[index] if 0 <= index < len(choices) else choices[0]
    journey.call.state["chosen_by_caller"] = request.digits[:1] == str(index + 1)
    decision = journey.decide()
    rest = [c.partner.id for c in decision.open_candidates if c.partner.id != chosen]
    return journey.dial_in_order([chosen, *rest])


def on_dialled(journey: Journey, request: VoiceRequest) -> Reply:
    call = journey.call
    status = DialStatus.of(request.dial_status)
    attempt = call.attempts[-1] if call.attempts else None
    if attempt is not None and attempt.status is None:
        attempt.status, attempt.duration = status, request.dial_duration
    if status.is_connected and attempt is not None:
        call.partner_id = attempt.partner_id
        call.talk_time = request.dial_duration
        call.mark_connected(journey.now - timedelta(seconds=request.dial_duration))
        crisis = bool(call.state.get("crisis"))
        journey.end(Outcome.CRISIS_ESCALATION if crisis else Outcome.CONNECTED_PARTNER, "dial")
        if crisis:
            return [journey.say("goodbye"), Hangup()]
        partner = journey.router.directory[attempt.partner_id]
        return [
            journey.ask("after_partner", "sms-consent", speech=False, name=partner.name),
            journey.say("goodbye"),
            Hangup(),
        ]
    queue: list[str] = list(call.state.get("dial_queue", []))
    directory = journey.router.directory
    open_next = [pid for pid in queue if pid in directory and directory[pid].is_open(journey.now)]
    if open_next:
        failed = directory[attempt.partner_id].name if attempt else ""
        lead = (journey.say("trying_next", name=failed, next=directory[open_next[0]].name),)
        return journey.dial_in_order(open_next, lead=lead)
    return journey.to_operator("partners_unreachable")


def on_sms_consent(journey: Journey, request: VoiceRequest) -> Reply:
    call = journey.call
    if request.digits.startswith("1") and call.partner_id and request.caller:
        partner = journey.router.directory[call.partner_id]
        body = journey.line.texts.get(
            "partner_sms",
            call.language,
            name=partner.name,
            phone=partner.phone,
            hours=opening_text(partner, journey.now, journey.line.texts, call.language),
        )
        call.sms_consent = True
        try:  # sent now, so that the caller is told only what really happened
            journey.line.telephony.send_sms(request.caller, body)
        except Exception:
            log.exception("call %s: partner details SMS failed", call.sid)
            journey.step("sms_failed", partner.id)
            return [journey.say("goodbye"), Hangup()]
        journey.step("sms_sent", partner.id)
        return [journey.say("sms_sent"), Hangup()]
    return [journey.say("goodbye"), Hangup()]


def on_medical(journey: Journey, request: VoiceRequest) -> Reply:
    if request.digits.startswith("0"):
        return journey.to_operator("caller_pressed_0")
    if request.digits.startswith("1"):
        open_now = [c.partner.id for c in journey.decide().open_candidates]
        if open_now:
            return journey.dial_in_order(open_now)
        return journey.to_operator("gp_service_unavailable")
    repeats = int(journey.call.state.get("medical_repeats", 0))
    if repeats < 1:
        journey.call.state["medical_repeats"] = repeats + 1
        return [
            journey.ask("crisis_medical_repeat", "medical", speech=False),
            Redirect(f"{PATH}/medical"),
        ]
    return journey.to_operator("acute_no_choice")


def on_callback(journey: Journey, request: VoiceRequest) -> Reply:
    offer = journey.call.state.get("callback") or {}
    if not request.digits.startswith("1") or not request.caller or not offer:
        return journey.to_operator("callback_declined")
    due = datetime.fromisoformat(str(offer["at"]))
    partner = journey.router.directory[str(offer["partner"])]
    promise = CallbackPromise(None, journey.call.sid, partner.id, due, journey.call.language)
    promise_id = journey.uow.callbacks.add(promise, request.caller)
    when = spoken_moment(due, journey.now, journey.line.texts, journey.call.language)
    confirmation = journey.line.texts.get(
        "callback_sms", journey.call.language, when=when, name=partner.name
    )
    journey.after_commit += [
        lambda: journey.line.scheduler.schedule_callback(promise_id, due),
        lambda: journey.line.telephony.send_sms(request.caller, confirmation),
    ]
    journey.call.partner_id = partner.id
    journey.end(Outcome.CALLBACK_AGREED, "callback")
    return [journey.say("callback_agreed", when=when, name=partner.name), Hangup()]


def on_queued(journey: Journey, request: VoiceRequest) -> Reply:
    result = request.queue_result
    if result == "bridged":
        journey.call.mark_connected(journey.now)
        journey.end(Outcome.CONNECTED_OPERATOR, "operator")
        return [Hangup()]
    if result == "hangup":
        return []
    if journey.call.state.get("operator_direct"):
        journey.end(Outcome.NOBODY_REACHED, "operator")
        return [journey.say("goodbye"), Hangup()]
    journey.call.state["operator_direct"] = True
    journey.step("operator_direct", result)
    return [
        journey.say("to_operator"),
        Connect(
            journey.line.operator_number,
            f"{PATH}/operator-dialled",
            "",
            journey.line.line_number,
            60,
        ),
    ]


def on_operator_dialled(journey: Journey, request: VoiceRequest) -> Reply:
    if request.dial_status in ("completed", "answered"):
        journey.call.mark_connected(journey.now - timedelta(seconds=request.dial_duration))
        journey.end(Outcome.CONNECTED_OPERATOR, "operator")
        return [Hangup()]
    journey.end(Outcome.NOBODY_REACHED, "operator")
    return [journey.say("goodbye"), Hangup()]


def on_hold(journey: Journey, request: VoiceRequest) -> Reply:
    position = request.queue_position
    text = journey.say("hold", position=position) if position > 1 else journey.say("hold_first")
    return [text, Pause(15)]


def on_status(journey: Journey, request: VoiceRequest) -> Reply:
    """Twilio's status callback; repeats change nothing once the call has its outcome."""
    call = journey.call
    if request.call_status not in ("completed", "busy", "failed", "no-answer", "canceled"):
        return []
    if call.outcome is None:
        step = str(call.state.get("step", "welcome"))
        if call.state.get("told_112"):
            journey.end(Outcome.CRISIS_ESCALATION, step)  # told to hang up and dial 112
        else:
            journey.end(
                Outcome.HUNG_UP_AFTER_ROUTE if call.route_offered else Outcome.HUNG_UP_BEFORE_ROUTE,
                step,
            )
    return []


STEPS: dict[str, Callable[[Journey, VoiceRequest], Reply]] = {
    "incoming": on_incoming,
    "question": on_question,
    "confirm": on_confirm,
    "safety": on_safety,
    "postcode": on_postcode,
    "choose": on_choose,
    "dialled": on_dialled,
    "sms-consent": on_sms_consent,
    "medical": on_medical,
    "callback": on_callback,
    "queued": on_queued,
    "operator-dialled": on_operator_dialled,
    "hold": on_hold,
    "status": on_status,
}


def handle_voice(line: VoiceLine, step: str, request: VoiceRequest) -> Reply:
    """Run one step in one transaction; the call is created on its first request."""
    now = line.clock()
    with line.unit_of_work() as uow:
        call = uow.calls.get(request.sid)
        if call is None:
            call = Call(request.sid, Channel.VOICE, line.pseudonymise(request.caller), now)
            uow.calls.add(call)
        journey = Journey(line, call, uow, now)
        reply = STEPS[step](journey, request)
        uow.calls.save(call)
        uow.commit()
    for effect in journey.after_commit:
        _carry_out(effect, call.sid)
    return reply


def _carry_out(effect: Callable[[], object], sid: str) -> None:
    """An SMS or a scheduled job after the call's record is safe; a failure is logged, and the
    caller goes on (a callback that cannot be scheduled shows up as missed)."""
    try:
        effect()
    except Exception:
        log.exception("call %s: an effect after the hand-off was recorded failed", sid)


def whisper(line: VoiceLine, sid: str) -> Reply:
    """What the partner hears before the caller is put through."""
    with line.unit_of_work() as uow:
        call = uow.calls.get(sid)
    if call is None:
        return []
    texts, language = line.texts, "nl"
    labels = line.router.rulebook.labels.get(Category(call.category or Category.UNCLEAR), {})
    area = texts.get("whisper_area", language, area=call.area) if call.area else ""
    caller = texts.get(f"caller_type.{call.caller_type or 'caregiver'}", language)
    return [
        Say(
            texts.get(
                "whisper", language, caller_type=caller, label=labels.get(language, ""), area=area
            ),
            language,
        )
    ]


def opening_text(partner: Partner, now: datetime, texts: Texts, language: str) -> str:
    if partner.is_open(now):
        return texts.get("hours_open_now", language)
    nxt = partner.hours.next_opening(now)
    if nxt is None:
        return ""
    return texts.get("hours_next", language, when=spoken_moment(nxt, now, texts, language))
