"""Voice instructions -> TwiML, built with twilio-python.

Every <Say> and <Gather> names its language: Twilio's default is American English.
"""

from __future__ import annotations

from collections.abc import Sequence

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Gather, VoiceResponse

from helpline.domain.texts import SPEECH_LANGUAGES, VOICES
from helpline.domain.voice import Ask, Connect, Hangup, Instruction, Pause, Queue, Redirect, Say


def to_twiml(instructions: Sequence[Instruction]) -> str:
    response = VoiceResponse()
    for item in instructions:
        _render(response, item)
    return str(response)


def _say(parent: VoiceResponse | Gather, item: Say) -> None:
    language = item.language if item.language in SPEECH_LANGUAGES else "nl"
    parent.say(item.text, language=SPEECH_LANGUAGES[language], voice=VOICES[language])


def _render(response: VoiceResponse, item: Instruction) -> None:  # noqa: C901 - one branch per verb
    if isinstance(item, Say):
        _say(response, item)
    elif isinstance(item, Ask):
        inputs = " ".join(k for k, on in (("speech", item.speech), ("dtmf", item.digits)) if on)
        options: dict[str, object] = {
            "input": inputs,
            "action": item.action,
            "method": "POST",
            "language": item.language,
            "timeout": item.timeout,
            "actionOnEmptyResult": True,
        }
        if item.speech:
            options["speechTimeout"] = "auto"  # no speechModel: Twilio picks one that knows nl-NL
            if item.hints:
                options["hints"] = ", ".join(item.hints[:100])
        if item.digits:
            options.update(numDigits=item.digits, finishOnKey="#")
        gather = response.gather(**options)
        for prompt in item.prompt:
            _say(gather, prompt)
    elif isinstance(item, Connect):
        action = {"action": item.action, "method": "POST"} if item.action else {}
        dial = response.dial(caller_id=item.caller_id, timeout=item.timeout, **action)
        if item.whisper:
            dial.number(item.number, url=item.whisper, method="POST")
        else:
            dial.number(item.number)
    elif isinstance(item, Queue):
        response.enqueue(
            item.name,
            wait_url=item.wait_url,
            wait_url_method="POST",
            action=item.action,
            method="POST",
        )
    elif isinstance(item, Redirect):
        response.redirect(item.url, method="POST")
    elif isinstance(item, Pause):
        response.pause(length=item.seconds)
    elif isinstance(item, Hangup):
        response.hangup()


def to_message(body: str | None) -> str:
    response = MessagingResponse()
    if body:
        response.message(body)
    return str(response)
