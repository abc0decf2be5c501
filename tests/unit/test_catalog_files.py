"""What a coordinator sees when a data file is wrong: every problem at once, each as
`file:line: field.path: message`, pinned exactly; and the shipped data passing every check."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpline.catalog import load_directory, load_router
from helpline.catalog.partners import is_valid_e164, load_areas, load_partner
from helpline.cli import main
from helpline.domain.errors import DataFileError
from helpline.domain.taxonomy import AREAS

ROOT = Path(__file__).resolve().parents[2]
PARTNERS = ROOT / "partners"
RULES = ROOT / "routing_rules.yaml"
BROKEN = ROOT / "tests" / "data" / "broken"
BROKEN_PARTNERS = BROKEN / "partners"


def _problems_of(load, *args: Path) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    with pytest.raises(DataFileError) as caught:
        load(*args)
    return caught.value.problems


def _broken_partner(name: str) -> Path:
    return BROKEN_PARTNERS / f"{name}.yaml"


TYPO = _broken_partner("wijkteam-typo")
BAD_PHONE = _broken_partner("wijkteam-bad-phone")
UNKNOWN_AREA = _broken_partner("wijkteam-unknown-area")
BAD_HOURS = _broken_partner("wijkteam-bad-hours")
YAML_ERROR = _broken_partner("wijkteam-yaml-error")

EXPECTED = {
    TYPO: (
        f"{TYPO}:1: type: Field required",
        f"{TYPO}:2: typ: Extra inputs are not permitted",
    ),
    BAD_PHONE: (
        f"{BAD_PHONE}:8: phones: Value error, '010 200 1101' is not a valid E.164 number "
        "like '+31102001101'",
    ),
    UNKNOWN_AREA: (
        f"{UNKNOWN_AREA}:7: areas: Value error, unknown area 'Rotterdam-Zuid'; use one of "
        "Centrum, Delfshaven, Overschie, Noord, Hillegersberg-Schiebroek, Kralingen-Crooswijk, "
        "Prins Alexander, Feijenoord, IJsselmonde, Charlois, Hoogvliet, Pernis, Rozenburg, "
        "Hoek van Holland or all",
    ),
    BAD_HOURS: (
        f"{BAD_HOURS}:10: hours: Value error, '9-17' is not a time range like '09:00-17:00'",
    ),
    YAML_ERROR: (f"{YAML_ERROR}:7: (file): mapping values are not allowed here",),
}
ALL_PARTNER_PROBLEMS = [p for path in sorted(EXPECTED) for p in EXPECTED[path]]

RULES_TYPO = BROKEN / "rules_typo.yaml"
RULES_TYPO_PROBLEM = f"{RULES_TYPO}:14: rules[1].rout_to: Extra inputs are not permitted"
RULES_UNKNOWN = BROKEN / "rules_unknown_partner.yaml"


# One broken partner file at a time


@pytest.mark.parametrize("path", sorted(EXPECTED), ids=lambda p: p.stem)
def test_broken_partner_file_reports_each_problem_with_file_line_and_field(path):
    assert _problems_of(load_partner, path) == EXPECTED[path]


def test_misspelled_key_is_reported_on_its_own_line():
    lines = TYPO.read_text(encoding="utf-8").splitlines()

    assert lines[1].startswith("typ:"), "the fixture has the typo on line 2"
    assert f"{TYPO}:2: typ: Extra inputs are not permitted" in _problems_of(load_partner, TYPO)


def test_yaml_syntax_error_is_reported_on_the_line_that_breaks():
    lines = YAML_ERROR.read_text(encoding="utf-8").splitlines()

    assert lines[6] == "areas: Noord: Centrum", "the fixture breaks on line 7"
    assert _problems_of(load_partner, YAML_ERROR) == EXPECTED[YAML_ERROR]


def test_misspelled_weekday_is_reported_on_its_own_line():
    path = BROKEN / "partners_day_typo" / "wijkteam-day-typo.yaml"

    assert path.read_text(encoding="utf-8").splitlines()[11].startswith("  tu:"), "line 12"
    assert (
        f"{path}:12: hours.tu: Input should be 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun'"
        in _problems_of(load_partner, path)
    )


# Several broken files


def test_every_broken_partner_file_is_reported_at_once():
    assert list(_problems_of(load_directory, BROKEN_PARTNERS)) == ALL_PARTNER_PROBLEMS


def test_broken_partners_and_broken_rules_are_reported_together():
    problems = _problems_of(load_router, BROKEN_PARTNERS, RULES_TYPO)

    assert list(problems) == [*ALL_PARTNER_PROBLEMS, RULES_TYPO_PROBLEM]


def test_empty_partner_folder_is_reported(tmp_path):
    assert _problems_of(load_directory, tmp_path) == (f"{tmp_path}:1: (folder): no partner files",)


# Routing rules


def test_misspelled_rule_key_is_reported_with_its_line():
    assert _problems_of(load_router, PARTNERS, RULES_TYPO) == (RULES_TYPO_PROBLEM,)


def test_rule_naming_a_partner_without_a_file_is_reported_with_its_line():
    assert _problems_of(load_router, PARTNERS, RULES_UNKNOWN) == (
        f"{RULES_UNKNOWN}:14: rules[1].route_to[1]: unknown partner 'veilig-thuis-zuid'",
    )


# Areas file


def test_name_used_in_two_areas_is_reported_with_its_line():
    path = BROKEN / "areas_duplicate" / "_areas.yaml"

    assert _problems_of(load_areas, path) == (
        f"{path}:10: areas.Noord.aliases[1]: 'binnenstad' is also a name in Centrum",
        f"{path}:12: areas.Pernis.postcodes[0]: 3033 is also in Noord",
    )


def test_alias_that_is_another_areas_own_name_is_reported():
    path = BROKEN / "areas_own_name" / "_areas.yaml"

    problems = _problems_of(load_areas, path)

    assert any(p.startswith(f"{path}:5: areas.Noord.aliases[1]: ") for p in problems)


# `helpline check`


def _check(partners: Path, rules: Path):  # type: ignore[no-untyped-def]
    env = {"HELPLINE_PARTNERS_DIR": str(partners), "HELPLINE_RULES_FILE": str(rules)}
    return CliRunner().invoke(main, ["check"], env=env)


def test_check_lists_every_problem_and_fails():
    result = _check(BROKEN_PARTNERS, RULES_TYPO)

    assert result.exit_code != 0
    assert result.stderr.splitlines() == [*ALL_PARTNER_PROBLEMS, RULES_TYPO_PROBLEM]
    assert "ok:" not in result.stdout


def test_check_reports_a_rule_naming_an_unknown_partner():
    result = _check(PARTNERS, RULES_UNKNOWN)

    assert result.exit_code == 1
    assert "rules[1].route_to[1]: unknown partner 'veilig-thuis-zuid'" in result.stderr


def test_check_passes_on_the_shipped_data():
    result = _check(PARTNERS, RULES)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")
    assert result.stderr == ""


# The shipped data


def test_every_shipped_rule_reaches_an_existing_partner(router):
    for rule in router.rulebook.rules:
        named = [pid for pid in rule.route_to if pid in router.directory]
        preferred = [
            p
            for p in router.directory
            if p.type in rule.prefer and not p.paused and p.categories & rule.categories
        ]
        assert named or preferred, f"rule {rule.id} reaches nobody"
        assert all(pid in router.directory for pid in rule.route_to), rule.id


def test_every_shipped_partner_phone_is_valid_e164(router):
    invalid = [(p.id, n) for p in router.directory for n in p.phones if not is_valid_e164(n)]

    assert invalid == []


def test_every_area_has_a_postcode(router):
    assert set(router.classifier.areas.postcodes.values()) == set(AREAS)


def test_every_area_can_be_named(router):
    assert set(router.classifier.areas.names.values()) == set(AREAS)
