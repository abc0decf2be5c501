"""Play a whole call through the app in-process, the way Twilio does.

Each request is form-encoded and signed with the account's auth token; the TwiML that comes
back is parsed as XML and followed: Say, Gather (answered from a script), Dial (with the
outcome the script gives each partner), Redirect, Enqueue and Hangup. `helpline call` and
the tests use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree import ElementTree

from defusedxml.ElementTree import fromstring
from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

_MAX_REQUESTS = 60
_KEYS = re.compile(r"^[0-9#*]+$")


@dataclass
class CallLog:
    """What happened in one simulated call: what the caller heard and where the call went."""

    sid: str
    lines: list[str] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)
    dialled: list[tuple[str, str]] = field(default_factory=list)  # (number, outcome)
    whispers: list[str] = field(default_factory=list)
    documents: list[ElementTree.Element] = field(default_factory=list)
    queued: bool = False

    def add(self, line: str) -> None:
        self.lines.append(line)

    def __str__(self) -> str:
        return "\n".join(self.lines)


class TwilioSimulator:
    def __init__(
        self, app: Flask, caller: str = "+31612345678", base_url: str = "http://localhost"
    ) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.caller = caller
        self.base_url = base_url.rstrip("/")
        settings = app.extensions["helpline"].settings
        self.validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
        self.line_number = settings.line_number
        self._count = 0

    def post(self, path: str, **params: str) -> tuple[int, str]:
        """POST as Twilio does: form-encoded, signed over the full URL and the parameters."""
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        signature = self.validator.compute_signature(url, params)
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.post(target, data=params, headers={"X-Twilio-Signature": signature})
        return response.status_code, response.get_data(as_text=True)

    def call(
        self,
        answers: list[str | None] | dict[str, list[str | None]],
        partners: list[str] | None = None,
        operator: str = "bridged",
        sid: str | None = None,
    ) -> CallLog:
        """Ring the line; `answers` feed each Gather in turn (None: silence; digits: keys).

        `answers` may instead map a Gather's action ("question", "confirm", "postcode",
        "choose", "callback", "sms-consent", "medical") to the answers given there.

        `partners` gives each successive Dial its outcome ("answered", "no-answer", "busy",
        "failed"; default answered). When answers run out, the caller hangs up.
        """
        self._count += 1
        log = CallLog(sid or f"CA{self._count:032d}")
        script = _Script(answers)
        outcomes = iter(partners or [])
        base = {
            "CallSid": log.sid,
            "From": self.caller,
            "To": self.line_number,
            "AccountSid": "AC" + "0" * 32,
        }
        request: tuple[str, dict[str, str]] | None = (
            "/twilio/voice",
            {**base, "CallStatus": "ringing"},
        )
        for _ in range(_MAX_REQUESTS):
            if request is None:
                break
            status, body = self.post(request[0], **request[1])
            if status != 200:
                log.add(f"!! HTTP {status} from {request[0]}")
                break
            document = fromstring(body)
            log.documents.append(document)
            request = self._follow(document, log, script, outcomes, operator, base)
        self.post("/twilio/voice/status", **{**base, "CallStatus": "completed"})
        log.add("-- call ended")
        return log

    def _follow(
        self,
        document: ElementTree.Element,
        log: CallLog,
        script: _Script,
        outcomes: Iterator[str],
        operator: str,
        base: dict[str, str],
    ) -> tuple[str, dict[str, str]] | None:
        """Run the verbs in order; the first that leaves the document gives the next request."""
        for verb in document:
            if verb.tag == "Say":
                self._hear(log, verb)
            elif verb.tag == "Gather":
                return self._gather(verb, log, script, base)
            elif verb.tag == "Dial":
                return self._dial(verb, log, outcomes, base)
            elif verb.tag == "Enqueue":
                return self._enqueue(verb, log, operator, base)
            elif verb.tag == "Redirect":
                return verb.text or "", dict(base)
            elif verb.tag == "Hangup":
                log.add("line hangs up")
                return None
        return None

    def _gather(
        self, verb: ElementTree.Element, log: CallLog, script: _Script, base: dict[str, str]
    ) -> tuple[str, dict[str, str]] | None:
        for say in verb.findall("Say"):
            self._hear(log, say)
        try:
            answer = script.answer(verb.get("action", ""))
        except StopIteration:
            log.add("caller hangs up")
            return None
        params = dict(base)
        if answer is None:
            log.add("caller: (silence)")
        elif _KEYS.match(answer):
            log.add(f"caller presses {answer}")
            params["Digits"] = answer.rstrip("#") if len(answer) > 1 else answer
        else:
            log.add(f'caller says "{answer}"')
            params.update(SpeechResult=answer, Confidence="0.9")
        return verb.get("action", ""), params

    def _hear(self, log: CallLog, say: ElementTree.Element) -> None:
        text = (say.text or "").strip()
        log.heard.append(text)
        log.add(f"caller hears [{say.get('language')}]: {text}")

    def _dial(
        self, verb: ElementTree.Element, log: CallLog, outcomes: Iterator[str], base: dict[str, str]
    ) -> tuple[str, dict[str, str]] | None:
        number_el = verb.find("Number")
        number = (number_el.text if number_el is not None else verb.text) or ""
        outcome = next(outcomes, "answered")
        log.dialled.append((number.strip(), outcome))
        log.add(f"dial {number.strip()}: {outcome}")
        if outcome == "answered" and number_el is not None and number_el.get("url"):
            _, whisper = self.post(
                number_el.get("url", ""),
                **{**base, "CallSid": "CAchild", "ParentCallSid": base["CallSid"]},
            )
            for say in fromstring(whisper).iter("Say"):
                log.whispers.append(say.text or "")
                log.add(f"partner hears: {say.text}")
        if not verb.get("action"):
            return None
        status = "completed" if outcome == "answered" else outcome
        duration = "180" if outcome == "answered" else "0"
        return verb.get("action", ""), {
            **base,
            "DialCallStatus": status,
            "DialCallDuration": duration,
        }

    def _enqueue(
        self, verb: ElementTree.Element, log: CallLog, operator: str, base: dict[str, str]
    ) -> tuple[str, dict[str, str]] | None:
        log.queued = True
        wait = verb.get("waitUrl")
        if wait:
            _, hold = self.post(wait, **{**base, "QueuePosition": "2", "QueueSid": "QU1"})
            for say in fromstring(hold).iter("Say"):
                self._hear(log, say)
        log.add(f"operator queue: {operator}")
        return verb.get("action", ""), {**base, "QueueResult": operator, "QueueTime": "30"}


class _Script:
    def __init__(self, answers: list[str | None] | dict[str, list[str | None]]) -> None:
        self.sequence = iter(answers) if isinstance(answers, list) else None
        self.by_step = {k: iter(v) for k, v in answers.items()} if isinstance(answers, dict) else {}

    def answer(self, action: str) -> str | None:
        """The next answer; StopIteration when the caller has nothing more to say."""
        if self.sequence is not None:
            return next(self.sequence)
        step = urlsplit(action).path.rsplit("/", 1)[-1]
        return next(self.by_step.get(step, iter(())))
