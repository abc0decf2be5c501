"""Which words Dutch and English know (wordfreq): those were heard right, not misheard."""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

# Zipf 2.5 is about one occurrence in three million words: ordinary words are above it,
# misrecognitions such as "zelfmoort" or "dimentie" are not in the lists at all.
_KNOWN = 2.5


@lru_cache(maxsize=65_536)
def is_known_word(word: str) -> bool:
    return max(zipf_frequency(word, "nl"), zipf_frequency(word, "en")) >= _KNOWN
