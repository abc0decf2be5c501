"""Where a caller lives: one of Rotterdam's 14 gebieden, from a postcode or a spoken place name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from helpline.domain.text import number_runs

# Place names that are also everyday words count only after a word that introduces a place
# ("ik woon in noord", not "noord en zuid"); "centrum" is also in "een centrum voor dagbesteding".
_EVERYDAY_NAMES = frozenset({"centrum", "noord", "cool", "zuid", "oost", "west", "stad", "dorp"})
_PLACE_WORDS = frozenset(
    {"in", "op", "uit", "te", "rotterdam", "wijk", "buurt", "bij", "richting", "van", "from"}
)
_ARTICLES = frozenset({"de", "het", "the"})  # "ik woon in het centrum"
# Joined words are only matched fuzzily when none is a small everyday word: "hij laat" is
# not "heijplaat".
_EVERYDAY_WORDS = frozenset(
    {"de", "het", "een", "van", "in", "op", "ik", "hij", "zij", "ze", "we", "wij", "je", "u",
     "en", "is", "was", "heeft", "laat", "niet", "dat", "die", "er", "naar", "met", "voor",
     "bij", "hier", "daar", "nu", "wel", "ook", "nog", "al", "the", "and", "he", "she"}
)  # fmt: skip
_FUZZY_MIN_LENGTH = 6
_FUZZY_CUTOFF = 86.0


@dataclass(frozen=True, slots=True)
class AreaMatch:
    area: str
    said: str  # the words or digits that named it
    via: str  # "postcode" or "name"


@dataclass(frozen=True, slots=True)
class AreaIndex:
    """Look-up from postcodes and place names to gebieden; names are folded, without spaces."""

    postcodes: Mapping[str, str]
    names: Mapping[str, str]
    _fuzzy_names: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _fuzzy_cache: dict[str, tuple[str | None, str | None]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        buckets: dict[str, list[str]] = {}
        for name in sorted(self.names):
            if len(name) >= _FUZZY_MIN_LENGTH:
                buckets.setdefault(name[0], []).append(name)
        by_letter = {letter: tuple(names) for letter, names in buckets.items()}
        object.__setattr__(self, "_fuzzy_names", by_letter)
        object.__setattr__(self, "_fuzzy_cache", {})

    def area_for_postcode(self, postcode: str) -> str | None:
        return self.postcodes.get(postcode.strip()[:4])

    def find(self, words: tuple[str, ...]) -> AreaMatch | None:
        """The first postcode said, else the first place name (joined words, fuzzily)."""
        for _, digits in number_runs(words):
            area = self.postcodes.get(digits[:4]) if len(digits) >= 4 else None
            if area:
                return AreaMatch(area, digits[:4], "postcode")
        everyday = [w in _EVERYDAY_WORDS for w in words]
        count = len(words)
        for index, first in enumerate(words):
            # the longest name first: up to three words joined ("ijssel monde", "hoek van holland")
            joined = [first]
            for end in range(index + 1, min(index + 3, count)):
                joined.append(joined[-1] + words[end])
            for width in range(len(joined), 0, -1):
                said = joined[width - 1]
                exact, misheard = self._heard(said)
                area = exact or (misheard if not any(everyday[index : index + width]) else None)
                if area and self._is_place(words, index, said):
                    return AreaMatch(area, " ".join(words[index : index + width]), "name")
        return None

    def _heard(self, joined: str) -> tuple[str | None, str | None]:
        """(area named exactly, area of a near miss) for a word or joined words; cached."""
        known = self._fuzzy_cache.get(joined)
        if known is None:
            if len(self._fuzzy_cache) > 50_000:
                self._fuzzy_cache.clear()
            exact = self.names.get(joined)
            misheard = None
            if exact is None and len(joined) >= _FUZZY_MIN_LENGTH:
                found = process.extractOne(
                    joined,
                    self._fuzzy_names.get(joined[0], ()),
                    scorer=fuzz.ratio,
                    score_cutoff=_FUZZY_CUTOFF,
                )
                misheard = self.names[found[0]] if found else None
            known = self._fuzzy_cache[joined] = (exact, misheard)
        return known

    @staticmethod
    def _is_place(words: tuple[str, ...], index: int, joined: str) -> bool:
        if joined not in _EVERYDAY_NAMES:
            return True
        before = words[max(0, index - 2) : index]
        if before and before[-1] in _ARTICLES:
            before = before[:-1]
        return bool(before) and before[-1] in _PLACE_WORDS
