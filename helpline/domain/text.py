"""Normalisation of spoken text: what speech recognition hands us, made comparable.

Transcripts arrive lower- or mixed-case, with diacritics, punctuation, filler words and numbers
written either as digits or as words ("drie nul acht twee", "dertig tweeëntachtig",
"three zero eight two"). Everything downstream works on the tokens this module returns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^a-z0-9]+")
# "can't", "i'm", "father's": an apostrophe inside a word joins it, so that the contraction
# reads as one word ("cant", "im", "fathers") instead of a stray "t" or "m" that no cue names.
_APOSTROPHE = re.compile(r"(?<=[a-z])['\u2019\u2018`](?=[a-z])")
_DIGITS_LETTERS = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")

_UNITS = {
    "nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
    "tachtig": 80, "negentig": 90, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_COMPOUND = re.compile(
    r"^(een|twee|drie|vier|vijf|zes|zeven|acht|negen)en"
    r"(twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)$"
)
# Rotterdams, Flemish and clipped speech, as speech recognition writes it down: "k zie het
# nie meer zitte", "da's". Mapped to the standard word so one cue serves all. A clipped negation
# ("nie", "ni") is left as said: made a full "niet" its reach would undo crisis cues after it
# ("ik weet nie ... ze reageert niet"); cues that need it spell it ("zie nie meer zitten").
_DIALECT = {
    "k": "ik", "da": "dat", "das": "dat", "wa": "wat", "mijne": "mijn", "zitte": "zitten",
    "lope": "lopen", "leve": "leven", "kenne": "kunnen", "gij": "jij", "ge": "je", "wilt": "wil",
}  # fmt: skip
_THOUSANDS = re.compile(r"^(een|twee|drie|vier|vijf|zes|zeven|acht|negen)?duizend$")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without diacritics or punctuation: 'Cliënt, één!' -> 'client een'.

    Digits and letters that touch are parted, so that "3082AB" reads as postcode "3082 ab".
    """
    ascii_text = text.lower()
    if not ascii_text.isascii():
        decomposed = unicodedata.normalize("NFKD", ascii_text)
        ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = _APOSTROPHE.sub("", ascii_text)
    return _DIGITS_LETTERS.sub(" ", _NON_WORD.sub(" ", ascii_text)).strip()


@lru_cache(maxsize=16384)
def number_value(word: str) -> tuple[int, int] | None:
    """(value, digits it stands for) of a spoken or written number word, else None.

    The digit count keeps "nul" and "twintig" apart when numbers are strung together into a
    postcode: "drie nul" is two digits, "dertig" is two digits, "drieduizend" is four.
    """
    if word.isdigit():
        return int(word), len(word)
    if word in _UNITS:
        return _UNITS[word], 1
    if word in _TEENS:
        return _TEENS[word], 2
    if word in _TENS:
        return _TENS[word], 2
    compound = _COMPOUND.match(word)
    if compound:
        return _UNITS[compound.group(1)] + _TENS[compound.group(2)], 2
    thousands = _THOUSANDS.match(word)
    if thousands:
        return 1000 * _UNITS.get(thousands.group(1) or "een", 1), 4
    return None


def tokens(text: str) -> tuple[str, ...]:
    """Folded words, with "twee en tachtig" joined into one number word ("tweeentachtig")."""
    words = fold(text).split()
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if (
            word in _UNITS
            and index + 2 < len(words)
            and words[index + 1] == "en"
            and words[index + 2] in _TENS
        ):
            word = f"{word}en{words[index + 2]}"
            index += 2
        joined.append(_DIALECT.get(word, word))
        index += 1
    return tuple(joined)


def number_runs(words: tuple[str, ...]) -> list[tuple[int, str]]:
    """Each run of adjacent number words as (start index, digits said), in order.

    "drie nul acht twee" -> "3082"; "dertig tweeentachtig" -> "3082"; "drieduizend
    tweeentachtig" -> "3082"; "30 82" -> "3082".
    """
    runs: list[tuple[int, str]] = []
    start, digits, pad_next = -1, "", 0
    for index, word in enumerate((*words, "")):
        value = number_value(word) if word else None
        if value is None:
            if digits:
                runs.append((start, digits))
            start, digits, pad_next = -1, "", 0
            continue
        number, width = value
        if start < 0:
            start = index
        if _THOUSANDS.match(word):
            digits += str(number // 1000)
            pad_next = 3  # "drieduizend tweeentachtig": the 82 fills three places, 3082
            continue
        digits += f"{number:0{max(width, pad_next)}d}"
        pad_next = 0
    return runs
