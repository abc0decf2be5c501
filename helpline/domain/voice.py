"""What the caller hears and where the call goes next, independent of Twilio's TwiML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Say:
    text: str
    language: str = "nl"


@dataclass(frozen=True, slots=True)
class Ask:
    """Listen for speech and/or keys; `prompt` is said while listening."""

    prompt: tuple[Say, ...]
    action: str
    speech: bool = True
    digits: int | None = 1  # how many keys end the input; None: keys not asked for
    hints: tuple[str, ...] = ()
    language: str = "nl"
    timeout: int = 6


@dataclass(frozen=True, slots=True)
class Connect:
    number: str
    action: str
    whisper: str  # URL played to the partner before the call is bridged
    caller_id: str
    timeout: int = 20


@dataclass(frozen=True, slots=True)
class Queue:
    name: str
    wait_url: str
    action: str


@dataclass(frozen=True, slots=True)
class Redirect:
    url: str


@dataclass(frozen=True, slots=True)
class Hangup:
    pass


@dataclass(frozen=True, slots=True)
class Pause:
    seconds: int = 1


Instruction = Say | Ask | Connect | Queue | Redirect | Hangup | Pause
