"""How a caller's postcode and neighbourhood are understood from a speech transcript: numbers
said as digits or as words, and place names said whole, split in two or slightly misheard."""

from __future__ import annotations

import pytest

from helpline.domain.text import fold, number_runs, tokens


def _area(router, said: str) -> str | None:  # type: ignore[no-untyped-def]
    match = router.classifier.areas.find(tokens(said))
    return match.area if match else None


# Numbers in a transcript


@pytest.mark.parametrize(
    "said",
    [
        "3082",
        "30 82",
        "drie nul acht twee",
        "dertig tweeëntachtig",
        "dertig tweeentachtig",
        "dertig twee en tachtig",
        "drieduizend tweeëntachtig",
        "drie nul 82",
        "three zero eight two",
        "3082 ab",
    ],
)
def test_postcode_said_in_any_form_becomes_its_four_digits(said):
    assert number_runs(tokens(said)) == [(0, "3082")]


def test_postcode_in_english_becomes_its_digits():
    assert number_runs(tokens("three zero six eight")) == [(0, "3068")]
    assert number_runs(tokens("three oh six eight")) == [(0, "3068")]


def test_twee_en_tachtig_is_one_number():
    assert tokens("twee en tachtig") == ("tweeentachtig",)


def test_an_age_and_a_postcode_said_apart_stay_apart():
    words = tokens("mijn moeder van tweeentachtig woont in drie nul acht twee")

    assert [digits for _, digits in number_runs(words)] == ["82", "3082"]


def test_transcript_is_folded_without_case_diacritics_or_punctuation():
    assert fold("Cliënt, één!") == "client een"


# Postcodes to gebieden, with the shipped areas


@pytest.mark.parametrize(
    ("said", "area"),
    [
        ("mijn postcode is 3082", "Charlois"),
        ("mijn postcode is drie nul acht twee", "Charlois"),
        ("dertig tweeëntachtig", "Charlois"),
        ("dertig twee en tachtig", "Charlois"),
        ("three zero six eight", "Prins Alexander"),
        ("3082 ab", "Charlois"),
        ("drie nul acht twee a b", "Charlois"),
        ("3011", "Centrum"),
        ("drie nul zeven negen", "IJsselmonde"),
        ("drie een negen een", "Hoogvliet"),
        ("drie een vijf een", "Hoek van Holland"),
    ],
)
def test_postcode_names_its_area(router, said, area):
    assert _area(router, said) == area


def test_postcode_outside_rotterdams_gebieden_names_no_area(router):
    assert _area(router, "drie een negen negen") is None  # Maasvlakte, port area


def test_postcode_said_after_an_age_still_names_the_area(router):
    assert _area(router, "ik ben vijfentachtig en woon in 3082") == "Charlois"


def test_postcode_wins_over_a_place_name_said_earlier(router):
    assert _area(router, "ik woon in noord maar mijn moeder in drie nul acht twee") == "Charlois"


def test_postcode_with_its_letters_attached_names_its_area(router):
    assert _area(router, "mijn postcode is 3082AB") == "Charlois"


# Place names to gebieden


@pytest.mark.parametrize(
    ("said", "area"),
    [
        ("ik woon in ommoord", "Prins Alexander"),
        ("mijn moeder woont in de tarwewijk", "Charlois"),
        ("tarwewijk", "Charlois"),
        ("ze woont in spangen", "Delfshaven"),
        ("in lombardijen", "IJsselmonde"),
        ("mijn vader woont op katendrecht", "Feijenoord"),
        ("in het oude noorden", "Noord"),
        ("ik woon in rotterdam noord", "Noord"),
        ("mijn moeder woont in hoogvliet", "Hoogvliet"),
    ],
)
def test_neighbourhood_names_its_area(router, said, area):
    assert _area(router, said) == area


@pytest.mark.parametrize(
    ("said", "area"),
    [
        ("ik woon in ijssel monde", "IJsselmonde"),
        ("ze woont in hoog vliet", "Hoogvliet"),
        ("mijn moeder woont in charlooi", "Charlois"),
        ("mijn moeder woont in charloi", "Charlois"),
        ("eisselmonde", "IJsselmonde"),
        ("ik woon in ommord", "Prins Alexander"),
        ("hoogvliat", "Hoogvliet"),
    ],
)
def test_misheard_or_split_name_still_names_its_area(router, said, area):
    assert _area(router, said) == area


def test_a_sentence_without_a_place_names_no_area(router):
    assert _area(router, "ik zorg voor mijn moeder en ik ben een mantelzorger") is None


def test_hij_laat_is_not_heard_as_heijplaat(router):
    assert _area(router, "hij laat niemand binnen") is None
    assert _area(router, "hij laat haar alleen ze woont op katendrecht") == "Feijenoord"


# Names that are also everyday words count only after a word that introduces a place


@pytest.mark.parametrize(
    "said",
    ["ik woon in noord", "mijn moeder woont op noord", "wij wonen in noord", "richting noord"],
)
def test_noord_after_a_place_word_names_noord(router, said):
    assert _area(router, said) == "Noord"


@pytest.mark.parametrize("said", ["noord en zuid", "noord", "zowel noord als zuid"])
def test_noord_without_a_place_word_names_no_area(router, said):
    assert _area(router, said) is None


def test_centrum_for_day_care_names_no_area(router):
    assert _area(router, "is er een centrum voor dagbesteding") is None


def test_centrum_after_in_names_centrum(router):
    assert _area(router, "ik woon in centrum") == "Centrum"


def test_centrum_after_in_het_names_centrum(router):
    assert _area(router, "ik woon in het centrum") == "Centrum"
