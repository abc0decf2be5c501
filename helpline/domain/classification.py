"""Spoken text -> Classification: category, caller type, area, confidence and the evidence.

The method is weighted cue matching, so that an operator can always see why: every cue that
counted is listed with the words the caller said. Cues and weights come from
`routing_rules.yaml`. Matching copes with speech recognition: words are folded (case,
diacritics, punctuation), numbers said as words become digits, adjacent words are also tried
joined ("mantel zorg waardering"), cue words ending in `*` match any word they start, and longer
words match fuzzily (rapidfuzz) so that "dimentie" still counts as "dementie". Particles
("er", "gewoon", "ook") may sit inside a phrase. A crisis cue inside the reach of a negation
("niet dat ik er een eind aan wil maken", "hij slaat niet") does not count; a negation ends at
the infinitive that closes its verb group ("niet vinden"). A cue may carry a negative weight: a
correction for a harmless sense ("slaat de maaltijden over", "drie weken geleden"). The same
words matched by two cues of one target count once. Named features add to the cues: a young
age ("ik ben vijftien"); a self-introduction at the opening ("wijkteam hier"), whose words then
name the caller rather than the need; the caller's own profession known by its ending ("ik ben
diëtist"); a wish not to wake up ("ze hoopt dat ze niet meer wakker wordt"); fear of a person
("doodsbang voor haar zoon"); a weak crisis signal said as happening now ("vanavond"); and a
crisis signal that outweighs every need, lifted onto the threshold (safety first). Told as
history ("drie jaar geleden") the last two do not apply. Crisis categories win over every other
need in the same utterance once their score reaches the crisis threshold.

With a learned second opinion (`SecondOpinion`) the two are blended: each cue point counts as a
fixed share of the model's probability, for the category, for a crisis (the crisis categories
together) and for the caller type. Cues strong enough to decide a crisis on their own still do,
without asking the model; a crisis half seen by either becomes a `worry`: the caller is asked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz, process

from helpline.domain.areas import AreaIndex
from helpline.domain.taxonomy import CRISIS_CATEGORIES, CallerType, Category
from helpline.domain.text import number_value, tokens

_NEGATIONS = frozenset({"geen", "niet", "nooit", "no", "not", "never", "dont", "zonder"})
_NEGATIONS_AFTER = _NEGATIONS - {"zonder", "geen", "no"}
_CONTRASTS = frozenset({"op", "naar", "in", "met", "om", "to", "on"})
# A negation reaches this many words ahead, and never past a clause boundary.
_NEGATION_REACH = 4
# Short infinitives that end a negated verb group ("niet doen", "niet gaan", "niet zien").
_INFINITIVE_ENDS = frozenset({"doen", "gaan", "zien", "staan", "slaan", "zijn", "do", "find"})
_CLAUSE_BREAKS = frozenset({"maar", "want", "omdat", "en", "dus", "but", "and", "because", "so"})
# A new subject starts a new clause in run-on speech: "hij praat niet goed hij zweet".
_SUBJECTS = frozenset({"ik", "hij", "zij", "ze", "we", "wij", "i", "he", "she"})
# "het is niet dat ik er een eind aan wil maken, maar ...": a denial reaches the whole clause.
_DENIALS = frozenset({"dat", "that", "alsof", "zo"})
# Words a caller opens with before saying who they are: "ja goedemiddag, u spreekt met de ...".
_OPENING_FILLERS = frozenset(
    {"ja", "eh", "uh", "ehm", "hm", "nou", "hallo", "hoi", "dag", "goedemorgen", "goedemiddag",
     "goedenavond", "goedendag", "hi", "hello", "good", "morning", "afternoon", "evening", "u",
     "spreekt", "met", "ik", "ben", "bel", "van", "vanuit", "namens", "de", "het", "een", "this",
     "is", "im", "i", "am", "a", "an", "the", "calling", "from", "sorry"}
)  # fmt: skip
_OPENING_REACH = 8  # the introduction comes within the first words or not at all
# "wijkteam feijenoord hier, ik heb ...": the introduction ends at "hier" or the first "ik".
_INTRODUCTION_ENDS = frozenset({"hier", "ik", "en", "we", "wij", "here", "and", "my", "mijn"})
_INTRODUCTION_LENGTH = 6
_INTRODUCERS = frozenset({"met", "ben", "van", "vanuit", "namens", "from", "am", "im", "bel"})
_ARTICLES = frozenset({"de", "het", "een", "the", "a", "an"})
_HERE = frozenset({"hier", "here"})
_POSSESSIVES = frozenset({"mijn", "onze", "ons", "my", "our"})
_INTRODUCTION_WEIGHT = 2.0
_CALLER_IDS = frozenset({"professional", "other"})
# Particles and hesitations that do not break a phrase: "ik wil er gewoon ook niet meer zijn".
_PARTICLES = frozenset(
    {"eh", "uh", "ehm", "er", "gewoon", "ook", "echt", "eigenlijk", "al", "wel", "nog", "soms",
     "even", "toch", "zo", "nou", "heel", "erg", "helemaal", "meer", "ineens", "opeens",
     "s", "just", "really", "also", "so", "very"}
)  # fmt: skip
# "jeugdarts hier", "ik ben diëtist", "leerplichtambtenaar hier": a care or social profession
# the caller names as their own, known by its ending even when no cue lists the exact word.
_PROFESSION_ENDINGS = (
    "arts", "therapeut", "kundige", "dietist", "logopedist", "specialist", "ambtenaar",
    "coordinator", "consulent", "adviseur", "begeleider", "assistent", "geriater", "psychiater",
    "oloog", "medewerker", "werker", "verzorgende", "nurse", "therapist", "worker", "officer",
)  # fmt: skip
_SELF_CLAIMS = frozenset({"ben", "im", "am", "als"})
_PROFESSION_WEIGHT = 2.5
# "ze is doodsbang voor haar zoon", "angst in haar ogen als hij binnenkomt": fear of a person
# in the household is a safety signal; fear *for* someone ("bang dat hij valt") is not.
_FEARS = frozenset(
    {"bang", "doodsbang", "angst", "angstig", "schrik", "schrikt", "terrified", "afraid",
     "scared", "frightened", "petrified"}
)  # fmt: skip
_FEARED = frozenset(
    {"zoon", "dochter", "man", "vrouw", "broer", "zus", "schoonzoon", "schoondochter",
     "kleinzoon", "verzorger", "verzorgster", "partner", "vriend", "hem", "hij", "him", "he",
     "son", "daughter", "husband", "wife", "brother", "carer", "caregiver", "grandson"}
)  # fmt: skip
_FEAR_LINKS = frozenset({"voor", "van", "of", "als", "wanneer", "when", "zodra"})
_FEAR_WEIGHT = 2.0
# Determiners do not count as a word between the words of a phrase: "mijn vader" fills one gap.
_DETERMINERS = frozenset(
    {"de", "het", "een", "mijn", "m", "zijn", "z", "haar", "onze", "ons", "jullie", "hun", "the",
     "a", "an", "my", "his", "her", "our", "their"}
)  # fmt: skip
# "ik ben vijftien" is the caller; "haar dochter van veertien" is a young person who cares.
_AGE_VERBS = {"ben": 3.0, "am": 3.0, "im": 3.0, "is": 1.5, "word": 2.0, "van": 1.5}
_YOUNG_AGES = range(10, 25)
_YEARS = frozenset({"jaar", "years", "year", "jarig", "yo", ""})
_NOT_AN_AGE = frozenset(
    {"uur", "uren", "keer", "dagen", "weken", "maanden", "hours", "times", "tot", "euro", "minuten"}
)
_AGE_ALONE = frozenset({"ben", "am", "im", "van", "is"})  # "ik ben vijftien", "zij is 14"
_CACHE_LIMIT = 100_000
# A weak crisis signal said as happening now ("vanavond", "net", "right now") is a crisis; the
# same words told as history ("drie jaar geleden") are not.
_NOW = frozenset(
    {"nu", "net", "vanavond", "vannacht", "vandaag", "vanmiddag", "vanochtend", "vanmorgen",
     "straks", "zometeen", "meteen", "momenteel", "klaar", "klaarliggen", "klaargelegd",
     "klaargezet", "ineens", "opeens", "plotseling", "now", "tonight", "today", "currently",
     "ready", "suddenly"}
)  # fmt: skip
_PAST = frozenset({"geleden", "vroeger", "destijds", "toentertijd", "ago", "vorig", "vorige"})
_NOW_WEIGHT = 1.0
_NOW_FLOOR = 1.0  # only a crisis signal already present is raised; "nu" alone is nothing
# "ik krijg mijn vader niet wakker": a strong crisis signal outweighing every need is what the
# call is about; safety first, it is raised onto the line.
_ALONE_FLOOR = 1.0
# "ze hoopt dat ze niet meer wakker wordt": a wish to not wake up, not a person who did not.
_WISHES = frozenset(
    {"hoop", "hoopt", "hoopte", "wens", "wenst", "wou", "wilde", "liefst", "hope",
     "hopes", "wish", "wishes", "pray", "bid"}
)  # fmt: skip
_DEATH_WISHED = frozenset({"wakker", "dood", "doodgaan", "sterven", "overlijden", "wake", "dead"})
_WISH_REACH = 7
_WISH_WEIGHT = 2.5

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Cue:
    """A word or phrase that points at a category or caller type, with its weight."""

    phrase: str
    words: tuple[str, ...]
    weight: float
    target: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """One cue that counted: what the rule says, what the caller said, for which target."""

    cue: str
    said: str
    target: str
    weight: float


@dataclass(frozen=True, slots=True)
class Classification:
    category: Category
    caller_type: CallerType
    area: str | None
    confidence: float
    evidence: tuple[Evidence, ...]
    postcode: str | None = None
    scores: tuple[tuple[str, float], ...] = ()
    # a crisis signal too weak to escalate on its own: the caller is asked, not assumed
    worry: Category | None = None

    @property
    def is_crisis(self) -> bool:
        return self.category.is_crisis


@dataclass(frozen=True, slots=True)
class ClassifierSettings:
    crisis_threshold: float = 2.5
    min_score: float = 1.0
    professional_threshold: float = 2.0
    other_threshold: float = 2.0
    fuzzy_cutoff: float = 85.0
    fuzzy_min_length: int = 5
    # With a learned second opinion the two are blended: a cue point counts as `model_cue_weight`
    # of probability. Crisis: the model's crisis probability plus the strongest crisis cue
    # score, so weighed, at or over `model_crisis_line` escalates; cues alone still escalate
    # from `crisis_decisive` up. Needs: the highest blend wins if it reaches `model_need_floor`.
    crisis_decisive: float = 4.0
    model_cue_weight: float = 0.1
    model_crisis_line: float = 0.5
    model_need_floor: float = 0.2
    model_caller_cue_weight: float = 0.2  # the same blend for the caller type
    worry_score: float = 1.0  # a crisis cue score from here up to the threshold: ask
    model_worry: float = 0.25  # a blended crisis figure from here up to the line: ask


@dataclass(frozen=True, slots=True)
class Opinion:
    """A learned model's view of an utterance: a probability per category, the n-grams that
    weighed most for one, and who is likely calling."""

    probabilities: Mapping[Category, float]
    # the n-grams that weighed most for a category, asked only for the one decided
    explain: Callable[[Category], tuple[tuple[str, float], ...]] = lambda _category: ()
    caller_types: Mapping[CallerType, float] = field(default_factory=dict)

    @property
    def category(self) -> Category:
        return max(self.probabilities, key=lambda c: self.probabilities[c])

    @property
    def crisis_probability(self) -> float:
        """The crisis categories together."""
        return sum(self.probabilities.get(c, 0.0) for c in CRISIS_CATEGORIES)


SecondOpinion = Callable[[str], Opinion]


@dataclass(slots=True)
class _Matches:
    """Where each cue word occurs in one utterance: key -> spans of word positions."""

    words: tuple[str, ...]
    spans: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    negated: frozenset[int] = frozenset()


class Classifier:
    """Built once from the cues in the rules file; `classify` is pure and fast (cached look-ups)."""

    def __init__(
        self,
        cues: Sequence[Cue],
        areas: AreaIndex,
        settings: ClassifierSettings | None = None,
        is_known_word: Callable[[str], bool] | None = None,
        second_opinion: SecondOpinion | None = None,
    ) -> None:
        self.cues = tuple(cues)
        self.areas = areas
        self.settings = settings or ClassifierSettings()
        # A word the language knows was heard right: "veerkracht" is not a misheard
        # "verkracht", "doorgaan" not "doodgaan". Only unknown words are matched fuzzily.
        self.is_known_word = is_known_word or (lambda _word: False)
        self.second_opinion = second_opinion
        # Each cue is filed under its rarest word, with the set of its other words: a cue can
        # only match when all its words were heard, and the rarest word rules most cues out
        # at once, before the costlier search for their order.
        spread = Counter(word for cue in self.cues for word in set(cue.words))
        self._by_rarest_word: dict[str, list[tuple[Cue, frozenset[str]]]] = defaultdict(list)
        for cue in self.cues:
            rarest = min(cue.words, key=lambda word: (spread[word], word))
            self._by_rarest_word[rarest].append((cue, frozenset(cue.words) - {rarest}))
        words = {word for cue in self.cues for word in cue.words}
        self._exact = frozenset(w for w in words if not w.endswith("*"))
        prefixes: dict[int, set[str]] = defaultdict(set)
        for word in words - self._exact:
            prefixes[len(word) - 1].add(word[:-1])
        self._prefixes = {length: frozenset(p) for length, p in sorted(prefixes.items())}
        # every start of a cue prefix: a word whose first letters start none stops the search
        all_prefixes = frozenset(p for group in prefixes.values() for p in group)
        self._all_prefixes = all_prefixes
        self._shortest_prefix = min(prefixes, default=1)
        self._stems = frozenset(
            p[:end] for p in all_prefixes for end in range(self._shortest_prefix, len(p) + 1)
        )
        self._token_cache: dict[tuple[str, bool], tuple[str, ...]] = {}

    @cached_property
    def _fuzzy_exact(self) -> dict[str, tuple[str, ...]]:
        """Cue words by first letter: a misheard word rarely loses its first sound."""
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self._exact):
            if len(word) >= self.settings.fuzzy_min_length and word.isalpha():
                buckets[word[0]].append(word)
        return {letter: tuple(words) for letter, words in buckets.items()}

    @cached_property
    def _fuzzy_prefixes(self) -> dict[tuple[int, str], tuple[str, ...]]:
        buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for length, prefixes in self._prefixes.items():
            if length >= 6:
                for prefix in sorted(prefixes):
                    buckets[(length, prefix[0])].append(prefix)
        return {key: tuple(words) for key, words in buckets.items()}

    def classify(
        self, text: str, postcode: str | None = None, caller_type: str | None = None
    ) -> Classification:
        words = tokens(text)
        found = _once_per_span(self._evidence(self._locate(words)))
        found += _profession_evidence(words)  # may open an introduction, as a cue would
        introduction = _introduction(words, found)
        if introduction is not None:
            found = [(e, s) for e, s in found if not _inside_introduction(e, s, introduction[1])]
            found.append(introduction)
        evidence = tuple(e for e, _ in found) + tuple(_age_evidence(words))
        evidence += tuple(_wish_evidence(words))
        evidence += tuple(_fear_evidence(words))
        evidence += self._urgency_evidence(words, _sum_scores(evidence))
        evidence += self._alone_evidence(words, evidence)
        scores = _sum_scores(evidence)
        category, confidence = self._decide(scores)
        opinion = None
        if self.second_opinion is not None and not self._decisive(scores):
            opinion = self.second_opinion(text)
            category, confidence = self._blend(scores, opinion, category)
            evidence += _learned_evidence(opinion, category)
        area_match = self.areas.find(words)
        area = self.areas.area_for_postcode(postcode) if postcode else None
        said_postcode = area_match.said if area_match and area_match.via == "postcode" else None
        return Classification(
            category=category,
            caller_type=self._caller_type(scores, caller_type, opinion),
            area=area or (area_match.area if area_match else None),
            confidence=confidence,
            evidence=evidence,
            postcode=postcode or said_postcode,
            scores=tuple(sorted(scores.items(), key=lambda item: -item[1])),
            worry=None if category.is_crisis else self._worry(scores, opinion),
        )

    def _worry(self, scores: Mapping[str, float], opinion: Opinion | None) -> Category | None:
        """The crisis the cues or the model half see: worth one question to the caller."""
        worries = [(scores.get(c.value, 0.0), c) for c in CRISIS_CATEGORIES]
        score, category = max(worries, key=lambda sc: sc[0])  # ties: the first listed
        if opinion is None:
            return category if score >= self.settings.worry_score else None
        if self._crisis_figure(scores, opinion) < self.settings.model_worry:
            return None
        return max(CRISIS_CATEGORIES, key=lambda c: self._blended(c, scores, opinion))

    def _decisive(self, scores: Mapping[str, float]) -> bool:
        """Cues strong enough to escalate whatever the model thinks: safety first."""
        return _strongest_crisis_cue(scores) >= self.settings.crisis_decisive

    def _blended(self, category: Category, scores: Mapping[str, float], opinion: Opinion) -> float:
        cue = scores.get(category.value, 0.0)
        return opinion.probabilities.get(category, 0.0) + self.settings.model_cue_weight * cue

    def _crisis_figure(self, scores: Mapping[str, float], opinion: Opinion) -> float:
        """The model's crisis probability plus the strongest crisis cue score, weighed."""
        cue = _strongest_crisis_cue(scores)
        return opinion.crisis_probability + self.settings.model_cue_weight * cue

    def _blend(
        self, scores: Mapping[str, float], opinion: Opinion, by_cues: Category
    ) -> tuple[Category, float]:
        """Cues and model together, crisis first; `unclear` when both hear nothing."""
        if self._crisis_figure(scores, opinion) >= self.settings.model_crisis_line:
            crisis = max(CRISIS_CATEGORIES, key=lambda c: self._blended(c, scores, opinion))
            return crisis, round(min(1.0, self._blended(crisis, scores, opinion)), 2)
        need = max(_NEEDS, key=lambda c: self._blended(c, scores, opinion))
        figure = self._blended(need, scores, opinion)
        if figure < self.settings.model_need_floor or (
            by_cues is Category.UNCLEAR and opinion.category is Category.UNCLEAR
        ):
            return Category.UNCLEAR, 0.0
        return need, round(min(1.0, figure), 2)

    def _urgency_evidence(
        self, words: tuple[str, ...], scores: Mapping[str, float]
    ) -> tuple[Evidence, ...]:
        """A weak crisis signal plus "now" crosses the line: "de pillen ... vanavond wil ik".

        Only the strongest crisis category below the threshold is raised, only when it is the
        main signal (a "spoed" logeerplek stays respite care), and not when the caller tells
        it as history ("drie jaar geleden").
        """
        best = max((scores.get(c, 0.0), c.value) for c in CRISIS_CATEGORIES)
        if not _NOW_FLOOR <= best[0] < self.settings.crisis_threshold:
            return ()
        # health and acute_medical are one body: "now" is exactly what makes a symptom acute
        rivals = _NEED_IDS - {Category.HEALTH.value} if best[1] == "acute_medical" else _NEED_IDS
        if any(scores.get(need, 0.0) > best[0] for need in rivals):
            return ()
        if not _PAST.isdisjoint(words):
            return ()
        now = next((w for w in words if w in _NOW), None)
        if now is None:
            return ()
        return (Evidence("<happening now>", now, best[1], _NOW_WEIGHT),)

    def _alone_evidence(
        self, words: tuple[str, ...], evidence: Sequence[Evidence]
    ) -> tuple[Evidence, ...]:
        """A crisis signal that outweighs every need: what the call is about ("ik raak in
        paniek" beside "ik krijg hem niet wakker" does not make it a call for a listening ear).
        Safety first: one supporting crisis cue with nothing heavier beside it is enough, so
        harmless senses of crisis words need their own corrections ("op rare plekken").
        """
        scores = _sum_scores(evidence)
        best = max((scores.get(c, 0.0), c.value) for c in CRISIS_CATEGORIES)
        if not _ALONE_FLOOR <= best[0] < self.settings.crisis_threshold:
            return ()
        if any(scores.get(need, 0.0) >= best[0] for need in _NEED_IDS):
            return ()
        if not _PAST.isdisjoint(words):
            return ()  # "vorige maand ... per ongeluk de dubbele dosis": told as history
        lift = self.settings.crisis_threshold - best[0]  # exactly onto the line
        return (Evidence("<crisis the main topic>", "", best[1], lift),)

    def _decide(self, scores: Mapping[str, float]) -> tuple[Category, float]:
        """Safety first: a crisis over its threshold wins; otherwise the highest need."""
        crisis = [(scores.get(c, 0.0), c) for c in CRISIS_CATEGORIES]
        crisis = [(s, c) for s, c in crisis if s >= self.settings.crisis_threshold]
        if crisis:
            best_score = max(s for s, _ in crisis)
            category = next(c for s, c in crisis if s == best_score)
            return category, round(min(1.0, best_score / (2 * self.settings.crisis_threshold)), 2)
        needs = sorted(
            ((s, c) for c, s in scores.items() if c in _NEED_IDS),
            key=lambda sc: (-sc[0], _NEED_ORDER[sc[1]]),  # a tie goes to the need listed first
        )
        if not needs or needs[0][0] < self.settings.min_score:
            return Category.UNCLEAR, 0.0
        top = needs[0][0]
        runner_up = needs[1][0] if len(needs) > 1 else 0.0
        margin = top / (top + runner_up)
        strength = min(1.0, top / 4.0)
        return Category(needs[0][1]), round(margin * (0.5 + 0.5 * strength), 2)

    def _caller_type(
        self, scores: Mapping[str, float], given: str | None, opinion: Opinion | None
    ) -> CallerType:
        if given:
            return CallerType(given)
        if opinion is not None and opinion.caller_types:
            weight = self.settings.model_caller_cue_weight
            return max(
                CallerType,
                key=lambda t: opinion.caller_types.get(t, 0.0) + weight * scores.get(t, 0.0),
            )
        professional = scores.get(CallerType.PROFESSIONAL, 0.0)
        other = scores.get(CallerType.OTHER, 0.0)
        # "ik zorg voor mijn buurvrouw": whoever says they give the care is a caregiver.
        caregiver = scores.get(CallerType.CAREGIVER, 0.0)
        if professional >= self.settings.professional_threshold and professional >= other:
            return CallerType.PROFESSIONAL
        if other >= self.settings.other_threshold and other > caregiver:
            return CallerType.OTHER
        return CallerType.CAREGIVER

    def _locate(self, words: tuple[str, ...]) -> _Matches:
        matches = _Matches(words, negated=_negated_positions(words))
        # only words of three letters or more join into a compound ("mantel zorg waardering")
        joinable = [len(w) >= 3 and w.isalpha() for w in words] + [False, False]
        for start, word in enumerate(words):
            for key in self._keys_for(word):
                matches.spans[key].append((start, start + 1))
            joined = word
            for end in (start + 2, start + 3):
                if not (joinable[start] and joinable[end - 1]):
                    break
                joined += words[end - 1]
                for key in self._joined_keys(joined, len(word)):
                    matches.spans[key].append((start, end))
        return matches

    def _joined_keys(self, joined: str, first_length: int) -> Iterable[str]:
        """Split compounds ("mantel zorg waardering"): a prefix must reach past the first word."""
        for key in self._keys_for(joined, fuzzy=False):
            if not key.endswith("*") or len(key) - 1 > first_length + 1:
                yield key

    def _keys_for(self, word: str, fuzzy: bool = True) -> tuple[str, ...]:
        """Cue words this spoken word stands for: exact, prefix (`dement*`) or fuzzy."""
        cached = self._token_cache.get((word, fuzzy))
        if cached is not None:
            return cached
        keys = {word} if word in self._exact else set()
        for end in range(self._shortest_prefix, len(word) + 1):
            stem = word[:end]
            if stem not in self._stems:
                break
            if stem in self._all_prefixes:
                keys.add(f"{stem}*")
        if fuzzy and not keys:
            keys.update(self._misheard_keys(word))
        if len(self._token_cache) > _CACHE_LIMIT:
            self._token_cache.clear()
        found = self._token_cache[(word, fuzzy)] = tuple(sorted(keys))  # one order on every run
        return found

    def _misheard_keys(self, word: str) -> set[str]:
        """Fuzzy keys of a word the language does not know (most words heard are known)."""
        if len(word) < self.settings.fuzzy_min_length or not word.isalpha():
            return set()
        return set() if self.is_known_word(word) else set(self._fuzzy_keys(word))

    def _fuzzy_keys(self, word: str) -> Iterable[str]:
        cutoff = self.settings.fuzzy_cutoff
        candidates = self._fuzzy_exact.get(word[0], ())
        for found, _, _ in process.extract(
            word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3
        ):
            yield found
        for (length, letter), prefixes in self._fuzzy_prefixes.items():
            if letter == word[0] and len(word) >= length:
                hit = process.extractOne(
                    word[:length], prefixes, scorer=fuzz.ratio, score_cutoff=cutoff
                )
                if hit:
                    yield f"{hit[0]}*"

    def _evidence(self, matches: _Matches) -> Iterable[tuple[Evidence, Span]]:
        heard = frozenset(matches.spans)
        for key in matches.spans:  # in the order heard: the same evidence on every run
            for cue, others in self._by_rarest_word.get(key, ()):
                if not others <= heard:
                    continue
                negatable = (
                    cue.target in _CRISIS_IDS
                    and cue.weight > 0  # a correction ("grapje") holds under a negation too
                    and _NEGATIONS.isdisjoint(cue.words)
                )
                span = _find_phrase(cue.words, matches, negatable)
                if span is not None:
                    said = " ".join(matches.words[span[0] : span[1]])
                    yield Evidence(cue.phrase, said, cue.target, cue.weight), span


_NEEDS = tuple(c for c in Category if not c.is_crisis and c is not Category.UNCLEAR)
_NEED_IDS = frozenset(c.value for c in _NEEDS)
_NEED_ORDER = {c.value: i for i, c in enumerate(_NEEDS)}
_CRISIS_IDS = frozenset(c.value for c in CRISIS_CATEGORIES)


def _find_phrase(words: tuple[str, ...], matches: _Matches, negatable: bool) -> Span | None:
    """Span of the first occurrence of the phrase, skipping negated ones where that matters.

    Only crisis cues are negated ("hij slaat niet", "niet dat ik er een eind aan wil maken"):
    a need stays the topic when denied ("ze wil niet naar de dagbesteding"), and a cue that
    holds its own negation ("krijg hem niet wakker") is not undone by another one.
    """
    for start, end in matches.spans.get(words[0], ()):
        if negatable and start in matches.negated:
            continue
        last_end = _follow(words[1:], end, matches)
        if last_end is not None and not (negatable and _negated_after(matches.words, last_end)):
            return start, last_end
    return None


def _negated_after(words: tuple[str, ...], end: int) -> bool:
    """Dutch puts the negation after the verb: "hij slaat niet", "she hits me? never".
    "zonder" and "geen" after a cue start something new ("een doodswens zonder plan"), and
    "niet" before a preposition sets up a contrast ("echt verdwijnen, niet op vakantie")."""
    position = end
    while position < len(words) and words[position] in _PARTICLES:
        position += 1
    if position >= len(words) or words[position] not in _NEGATIONS_AFTER:
        return False
    following = words[position + 1] if position + 1 < len(words) else ""
    return following not in _CONTRASTS  # "verdwijnen, niet op vakantie": a contrast


def _follow(rest: tuple[str, ...], end: int, matches: _Matches) -> int | None:
    """Where the rest of a phrase ends when each word follows the last: one other word and
    any particles may sit between."""
    for word in rest:
        reach = _reach(matches.words, end)
        follow = [s for s in matches.spans.get(word, ()) if end <= s[0] <= reach]
        if not follow:
            return None
        end = follow[0][1]
    return end


def _reach(words: tuple[str, ...], end: int) -> int:
    """The last start a phrase's next word may have after `end`: past one word and particles.

    An article or possessive belongs to the word it stands before, so "ik krijg mijn vader
    niet wakker" still holds "krijg ... niet wakker": "mijn vader" is one word in the gap.
    """
    others = 0
    position = end
    while position < len(words) and position < end + 5:
        if words[position] not in _PARTICLES and words[position] not in _DETERMINERS:
            others += 1
            if others > 1:
                break
        position += 1
    return position


def _negated_positions(words: tuple[str, ...]) -> frozenset[int]:
    negated: set[int] = set()
    for index, word in enumerate(words):
        if word not in _NEGATIONS:
            continue
        denial = index + 1 < len(words) and words[index + 1] in _DENIALS
        reach = len(words) if denial else min(index + 1 + _NEGATION_REACH, len(words))
        breaks = _CLAUSE_BREAKS if denial else _CLAUSE_BREAKS | _SUBJECTS
        for position in range(index + 1, reach):
            if words[position] in breaks and not _english_want(words, position):
                break
            negated.add(position)
            if not denial and _closes_verb_group(words[position]):
                break
    return frozenset(negated)


def _english_want(words: tuple[str, ...], position: int) -> bool:
    """Dutch "want" (because) breaks a clause; English "want to" does not: in "i do not want
    to die" the negation still reaches "die"."""
    following = words[position + 1] if position + 1 < len(words) else ""
    return words[position] == "want" and following in {"to", "anyone", "them", "him", "her"}


def _closes_verb_group(word: str) -> bool:
    """Dutch ends a negated clause with its infinitive: in "ik kan de epipen niet vinden zijn
    gezicht zwelt op" the negation stops at "vinden" and the swelling still counts."""
    return word in _INFINITIVE_ENDS or (len(word) >= 5 and word.endswith("en") and word.isalpha())


def _once_per_span(found: Iterable[tuple[Evidence, Span]]) -> list[tuple[Evidence, Span]]:
    """The very same words count once per target: "scheldt" matched as `scheldt` and as
    `scheld*` is one signal, so the heavier cue stands. Longer phrases around a word still
    add to it ("heup gebroken" on top of "gebroken"): the weights were set that way."""
    best: dict[tuple[str, Span, bool], tuple[Evidence, Span]] = {}
    for item, span in found:
        key = (item.target, span, item.weight < 0)  # a correction is never outweighed
        if key not in best or item.weight > best[key][0].weight:
            best[key] = (item, span)
    return list(best.values())


def _introduction(
    words: tuple[str, ...], found: Sequence[tuple[Evidence, Span]]
) -> tuple[Evidence, Span] | None:
    """ "wijkverpleging hier", "u spreekt met de huisarts": who calls is said first.

    A professional or other caller cue right at the opening counts extra, and the words of
    that introduction (up to "hier" or the first "ik") name the caller, not the need.
    """
    opening = next(
        (i for i, w in enumerate(words[:_OPENING_REACH]) if w not in _OPENING_FILLERS), None
    )
    if opening is None:
        return None
    for item, span in found:
        if item.target in _CALLER_IDS and span[0] == opening:
            end = _introduction_end(words, opening, span[1])
            if _introduces(words, opening, end):
                said = " ".join(words[opening:end])
                evidence = Evidence("<introduces self>", said, item.target, _INTRODUCTION_WEIGHT)
                return evidence, (opening, end)
    return None


def _introduction_end(words: tuple[str, ...], opening: int, end: int) -> int:
    limit = min(len(words), opening + _INTRODUCTION_LENGTH)
    while end < limit and words[end] not in _INTRODUCTION_ENDS:
        end += 1
    return end


def _introduces(words: tuple[str, ...], opening: int, end: int) -> bool:
    """A role or an organisation named as the speaker, not as the subject ("de thuiszorg komt").

    "met de wijkverpleging", "ik ben van de thuiszorg", "wijkteam hier" and a bare role word
    ("huisarts uit crooswijk") introduce; an organisation after an article, without "met",
    "ben" or "van" before it, is what the caller talks about.
    """
    if words[opening] in _POSSESSIVES:
        return False  # "mijn buurvrouw zei ...": someone else, not the speaker
    introduced = not _INTRODUCERS.isdisjoint(words[:opening])
    said_here = end < len(words) and words[end] in _HERE
    return introduced or said_here or not (opening > 0 and words[opening - 1] in _ARTICLES)


def _inside_introduction(item: Evidence, span: Span, introduction: Span) -> bool:
    """A need named in the caller's introduction ("ik bel van de dagbesteding") is not theirs."""
    return item.target in _NEED_IDS and introduction[0] <= span[0] and span[1] <= introduction[1]


def _age_evidence(words: tuple[str, ...]) -> Iterable[Evidence]:
    """ "ik ben vijftien" / "i'm 16": a young caller is a young carer's question."""
    for index in range(1, len(words)):
        weight = _AGE_VERBS.get(words[index - 1])
        value = number_value(words[index])
        if weight is None or value is None or value[0] not in _YOUNG_AGES:
            continue
        following = words[index + 1] if index + 1 < len(words) else ""
        after = words[index + 2] if index + 2 < len(words) else ""
        if after in {"mantelzorger", "getrouwd", "samen", "bezig", "ziek"}:
            continue  # "ik ben 12 jaar getrouwd": a duration, not an age
        alone = words[index - 1] in _AGE_ALONE and following not in _NOT_AN_AGE
        if following in _YEARS or alone:
            said = " ".join(words[index - 1 : index + 2]).strip()
            yield Evidence("<age under 25>", said, Category.YOUNG_CARERS, weight)


def _profession_evidence(words: tuple[str, ...]) -> list[tuple[Evidence, Span]]:
    """ "ik ben diëtist", "jeugdarts hier": the caller's own profession, by its ending.

    Counted after "ik ben" / "i'm a" / "als", or as the opening words followed by "hier" or
    "van" ("geriater van het ziekenhuis hier"); "mijn huisarts" is someone else's.
    """
    opening = next(
        (i for i, w in enumerate(words[:_OPENING_REACH]) if w not in _OPENING_FILLERS), None
    )
    for index, word in enumerate(words):
        if not word.endswith(_PROFESSION_ENDINGS):
            continue
        at_opening = (
            opening is not None and opening <= index <= opening + 1
        )  # "juridisch medewerker"
        if _claimed(words, index) or (at_opening and _introduced_here(words, index)):
            named = Evidence(
                "<names own profession>", word, CallerType.PROFESSIONAL, _PROFESSION_WEIGHT
            )
            return [(named, (index, index + 1))]
    return []


def _claimed(words: tuple[str, ...], index: int) -> bool:
    """ "ik ben (een) fysiotherapeut", "i'm a nurse", "als wijkverpleegkundige"."""
    before = [w for w in words[max(0, index - 3) : index] if w not in _ARTICLES]
    return bool(before) and before[-1] in _SELF_CLAIMS


def _introduced_here(words: tuple[str, ...], index: int) -> bool:
    """ "jeugdarts hier", "geriater van het ziekenhuis hier": the opening names the speaker."""
    if index > 0 and words[index - 1] in _ARTICLES:
        return False  # "de huisarts van mijn moeder": the subject, not the speaker
    following = words[index + 1 : index + 1 + _INTRODUCTION_LENGTH]
    return bool(following) and (
        following[0] in {"van", "uit", "bij"} or not _HERE.isdisjoint(following)
    )


def _fear_evidence(words: tuple[str, ...]) -> Iterable[Evidence]:
    """ "doodsbang voor haar zoon", "scared of her carer": fear of a person, not for one.

    The fear word must link to the person ("voor", "van", "als", "of") within a few words;
    "bang dat hij valt" is worry, and a negation before the fear word undoes it.
    """
    for index, word in enumerate(words):
        if word not in _FEARS or not _NEGATIONS.isdisjoint(words[max(0, index - 3) : index]):
            continue
        person = _feared_person(words, index)
        if person is not None:
            said = " ".join(words[index : person + 1])
            yield Evidence("<fear of a person>", said, Category.ABUSE_SAFETY, _FEAR_WEIGHT)
            return


def _feared_person(words: tuple[str, ...], index: int) -> int | None:
    """Position of the person feared: a link word within three words, the person right after
    it ("voor haar zoon", "als hij"); "bang voor de toekomst van mijn man" is no fear of him."""
    for link in range(index + 1, min(index + 4, len(words))):
        if words[link] in _FEAR_LINKS:
            after = [p for p in range(link + 1, len(words)) if words[p] not in _DETERMINERS]
            return after[0] if after and words[after[0]] in _FEARED else None
    return None


def _wish_evidence(words: tuple[str, ...]) -> Iterable[Evidence]:
    """ "ik hoop dat ik niet meer wakker word": a wish for one's own end, said veiled.

    A wish word followed, within a few words, by not waking or being dead; "wakker" only
    counts with a negation right before it ("niet meer wakker"), so "ik hoop dat hij wakker
    wordt" stays out.
    """
    for index, word in enumerate(words):
        if word not in _WISHES:
            continue
        for position in range(index + 1, min(index + 1 + _WISH_REACH, len(words))):
            if words[position] in _DEATH_WISHED and _wished_end(words, index, position):
                said = " ".join(words[index : position + 1])
                yield Evidence("<wish to die>", said, Category.SUICIDE_RISK, _WISH_WEIGHT)
                return


def _wished_end(words: tuple[str, ...], wish: int, position: int) -> bool:
    """Waking up is wished away only with a negation right before it ("niet meer wakker");
    being dead only without one ("i hope she's not dead" is fear for someone else)."""
    if words[position] in {"wakker", "wake"}:
        return not _NEGATIONS.isdisjoint(words[max(wish, position - 2) : position])
    return _NEGATIONS.isdisjoint(words[wish:position])


def _sum_scores(evidence: Iterable[Evidence]) -> dict[str, float]:
    scores: dict[str, float] = defaultdict(float)
    for item in evidence:
        scores[item.target] += item.weight
    return dict(scores)


def _strongest_crisis_cue(scores: Mapping[str, float]) -> float:
    return max(scores.get(c.value, 0.0) for c in CRISIS_CATEGORIES)


def _learned_evidence(opinion: Opinion, category: Category) -> tuple[Evidence, ...]:
    """The model's part of the decision, as the n-grams that weighed most for the category."""
    label = f"<model {opinion.probabilities.get(category, 0.0):.2f}>"
    return tuple(Evidence(label, ngram, category, w) for ngram, w in opinion.explain(category))
