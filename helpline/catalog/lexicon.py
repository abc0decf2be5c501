"""Which words Dutch and English know (wordfreq): those were heard right, not misheard."""

from __future__ import annotations

from bisect import bisect_left
from functools import cache

from wordfreq import top_n_list, zipf_frequency

# Zipf 2.5 is about one occurrence in three million words: ordinary words are above it,
# misrecognitions such as "zelfmoort" or "dimentie" are not in the lists at all.
_KNOWN = 2.5
_LANGUAGES = ("nl", "en")
_LIST_SIZE = 200_000


@cache
def _known_words() -> frozenset[str]:
    """Every word at or over the frequency line, as one set: a look-up per word heard costs
    nothing, where asking wordfreq each time is slow. The lists are sorted by frequency, so
    the line is found by bisection."""
    known: set[str] = set()
    for language in _LANGUAGES:
        words = top_n_list(language, _LIST_SIZE)
        end = bisect_left(range(len(words)), True, key=lambda i: _rare(words[i], language))
        known.update(words[:end])
    return frozenset(known)


def _rare(word: str, language: str) -> bool:
    return zipf_frequency(word, language) < _KNOWN


def is_known_word(word: str) -> bool:
    return word in _known_words()
