"""Where a classified question goes: which partners, in what order, and what happens when
nobody fitting is open. Classifications are built directly so that these tests do not depend
on how the classifier is tuned."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

import pytest

from helpline.catalog.partners import to_interval
from helpline.domain.classification import Classification
from helpline.domain.directory import AMSTERDAM, Directory, OpeningHours, Partner
from helpline.domain.routing import Candidate, RoutingDecision, Rule, choose_route
from helpline.domain.taxonomy import AREAS, CallerType, Category, PartnerType

TUESDAY_MORNING = datetime(2026, 11, 24, 11, 0, tzinfo=AMSTERDAM)
SUNDAY_NIGHT = datetime(2026, 11, 29, 3, 0, tzinfo=AMSTERDAM)
CHRISTMAS_DAY = datetime(2026, 12, 25, 11, 0, tzinfo=AMSTERDAM)  # a Friday
FRIDAY_BEFORE_CHRISTMAS = datetime(2026, 12, 18, 11, 0, tzinfo=AMSTERDAM)

ALWAYS = OpeningHours(always=True)
NEVER = OpeningHours()


def _weekdays(text: str) -> OpeningHours:
    day = (to_interval(text),)
    return OpeningHours(weekly=(day, day, day, day, day, (), ()))


def _question(
    category: Category,
    area: str | None = None,
    caller_type: CallerType = CallerType.CAREGIVER,
) -> Classification:
    return Classification(
        category=category, caller_type=caller_type, area=area, confidence=1.0, evidence=()
    )


def _ids(candidates: Iterable[Candidate]) -> list[str]:
    return [c.partner.id for c in candidates]


# With the shipped partners and rules


def test_at_night_no_office_partner_is_open_and_the_first_to_open_is_named(router):
    decision = router.decide(_question(Category.PRACTICAL_HELP, "Noord"), SUNDAY_NIGHT)

    assert decision.open_candidates == ()
    assert decision.choices() == ()
    assert decision.next_opening is not None
    assert decision.next_opening.partner.id == "wijkteam-noord"
    assert decision.next_opening.next_opening == datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)
    assert not decision.to_operator, "the caller can be offered a callback"


def test_at_night_the_listening_line_takes_a_caller_who_needs_to_talk(router):
    decision = router.decide(_question(Category.EMOTIONAL_SUPPORT, "Noord"), SUNDAY_NIGHT)

    assert _ids(decision.choices()) == ["luisterlijn-open-oor"]
    assert decision.next_opening is None


@pytest.mark.parametrize(
    ("category", "line"),
    [
        (Category.SUICIDE_RISK, "113-zelfmoordpreventie"),
        (Category.ABUSE_SAFETY, "veilig-thuis"),
        (Category.ACUTE_MEDICAL, "huisartsenpost-rotterdam"),
    ],
)
def test_at_night_the_crisis_lines_are_open(router, category, line):
    decision = router.decide(_question(category), SUNDAY_NIGHT)

    assert _ids(decision.choices()) == [line]


def test_on_christmas_day_office_partners_are_closed_until_monday(router):
    decision = router.decide(_question(Category.PRACTICAL_HELP, "Charlois"), CHRISTMAS_DAY)

    assert decision.open_candidates == ()
    assert decision.next_opening is not None
    assert decision.next_opening.partner.id == "wijkteam-charlois"
    assert decision.next_opening.next_opening == datetime(2026, 12, 28, 8, 30, tzinfo=AMSTERDAM)


def test_on_christmas_day_a_health_question_skips_the_closed_gp_practice(router):
    ordinary = router.decide(_question(Category.HEALTH, "Charlois"), FRIDAY_BEFORE_CHRISTMAS)
    christmas = router.decide(_question(Category.HEALTH, "Charlois"), CHRISTMAS_DAY)

    assert _ids(ordinary.choices()) == ["gezondheidscentrum-maashaven"]
    assert "gezondheidscentrum-maashaven" not in _ids(christmas.open_candidates)
    assert "huisartsenpost-rotterdam" in _ids(christmas.open_candidates)


def _serves(candidate: Candidate, area: str) -> bool:
    return candidate.partner.is_citywide or area in candidate.partner.areas


@pytest.mark.parametrize("category", [Category.PRACTICAL_HELP, Category.CARE_ARRANGEMENTS])
@pytest.mark.parametrize("area", AREAS)
def test_every_area_is_served_by_its_own_or_a_citywide_partner(router, area, category):
    decision = router.decide(_question(category, area), TUESDAY_MORNING)

    assert decision.candidates, f"nobody takes {category} from {area}"
    assert all(_serves(c, area) for c in decision.candidates)
    top = decision.candidates[0]
    assert top.open_now
    assert _serves(top, area)


@pytest.mark.parametrize("category", [Category.PRACTICAL_HELP, Category.CARE_ARRANGEMENTS])
@pytest.mark.parametrize("area", AREAS)
def test_own_area_partners_come_before_citywide_partners_of_the_same_type(router, area, category):
    decision = router.decide(_question(category, area), TUESDAY_MORNING)

    for partner_type in PartnerType:
        of_type = [c.partner for c in decision.candidates if c.partner.type is partner_type]
        tiers = [p.is_citywide for p in of_type]
        assert tiers == sorted(tiers), f"{partner_type}: {[p.id for p in of_type]}"


@pytest.mark.parametrize(
    ("category", "line", "emergency_number"),
    [
        (Category.SUICIDE_RISK, "113-zelfmoordpreventie", None),
        (Category.ABUSE_SAFETY, "veilig-thuis", None),
        (Category.ACUTE_MEDICAL, "huisartsenpost-rotterdam", "112"),
    ],
)
@pytest.mark.parametrize("area", [None, "Charlois"])
def test_crisis_goes_to_its_line_with_an_escalation(router, category, line, emergency_number, area):
    decision = router.decide(_question(category, area), TUESDAY_MORNING)

    assert decision.escalation is not None
    assert decision.escalation.category is category
    assert decision.escalation.emergency_number == emergency_number
    assert decision.candidates[0].partner.id == line
    assert not decision.needs_area, "a crisis never waits for a postcode"


@pytest.mark.parametrize(
    "category", [Category.PRACTICAL_HELP, Category.DEMENTIA, Category.EMOTIONAL_SUPPORT]
)
def test_non_crisis_question_has_no_escalation(router, category):
    assert router.decide(_question(category, "Noord"), TUESDAY_MORNING).escalation is None


def test_unclear_question_goes_to_the_operator(router):
    decision = router.decide(_question(Category.UNCLEAR, "Noord"), TUESDAY_MORNING)

    assert decision.candidates == ()
    assert decision.escalation is None
    assert decision.to_operator


def test_paused_shipped_partner_is_never_offered(router):
    paused = [p for p in router.directory if p.paused]
    assert paused, "the shipped data has a paused partner to check against"
    for partner in paused:
        for category in partner.categories:
            for area in sorted(partner.areas) or [None]:
                decision = router.decide(_question(category, area), TUESDAY_MORNING)
                assert partner.id not in _ids(decision.candidates)


def test_professional_with_a_health_question_is_sent_to_home_care_first(router):
    decision = router.decide(
        _question(Category.HEALTH, "Noord", CallerType.PROFESSIONAL), TUESDAY_MORNING
    )

    assert decision.rule_ids[0] == "health-professional"
    assert decision.candidates[0].rule_id == "health-professional"
    assert decision.candidates[0].partner.type is PartnerType.HOME_CARE


def test_caregiver_with_a_health_question_is_sent_to_the_gp_practice_first(router):
    decision = router.decide(_question(Category.HEALTH, "Noord"), TUESDAY_MORNING)

    assert "health-professional" not in decision.rule_ids
    assert decision.candidates[0].partner.id == "huisartsenpraktijk-vroesenpark"


def test_caller_is_asked_for_the_area_when_local_partners_exist(router):
    unknown = router.decide(_question(Category.PRACTICAL_HELP), TUESDAY_MORNING)
    known = router.decide(_question(Category.PRACTICAL_HELP, "Noord"), TUESDAY_MORNING)

    assert unknown.needs_area
    assert not known.needs_area


def test_caller_is_not_asked_for_the_area_when_the_rule_does_not_need_it(router):
    assert not router.decide(_question(Category.DEMENTIA), TUESDAY_MORNING).needs_area


def test_without_an_area_only_citywide_partners_are_offered(router):
    decision = router.decide(_question(Category.PRACTICAL_HELP), TUESDAY_MORNING)

    assert decision.candidates
    assert all(c.partner.is_citywide for c in decision.candidates)


def test_every_candidate_carries_a_reason_for_the_operator(router):
    decision = router.decide(_question(Category.CARE_ARRANGEMENTS, "Charlois"), TUESDAY_MORNING)

    assert decision.candidates[0].reason == (
        "rule care-arrangements covers care_arrangements; district_team, serves Charlois"
    )


# With a small hand-built directory


def _partner(
    partner_id: str,
    partner_type: PartnerType = PartnerType.WELFARE,
    areas: frozenset[str] = frozenset(),
    hours: OpeningHours = ALWAYS,
    paused: bool = False,
    caller_types: frozenset[CallerType] = frozenset(CallerType),
) -> Partner:
    return Partner(
        id=partner_id,
        name=partner_id.replace("-", " ").title(),
        type=partner_type,
        categories=frozenset({Category.PRACTICAL_HELP}),
        caller_types=caller_types,
        areas=areas,
        phones=("+31102001101",),
        hours=hours,
        paused=paused,
    )


PRACTICAL = Rule(
    id="practical",
    categories=frozenset({Category.PRACTICAL_HELP}),
    prefer=(PartnerType.WELFARE, PartnerType.DISTRICT_TEAM),
)


def _route(
    partners: list[Partner],
    area: str | None = None,
    now: datetime = TUESDAY_MORNING,
    rules: tuple[Rule, ...] = (PRACTICAL,),
    caller_type: CallerType = CallerType.CAREGIVER,
    load: Mapping[str, int] | None = None,
    failing: Collection[str] = (),
) -> RoutingDecision:
    question = _question(Category.PRACTICAL_HELP, area, caller_type)
    return choose_route(question, rules, {}, Directory.of(partners), now, load, failing)


def test_among_equivalent_partners_the_one_with_fewer_recent_handoffs_comes_first():
    partners = [_partner("welzijn-a"), _partner("welzijn-b")]

    busy_a = _route(partners, load={"welzijn-a": 3, "welzijn-b": 1})
    busy_b = _route(partners, load={"welzijn-a": 1, "welzijn-b": 3})

    assert _ids(busy_a.candidates) == ["welzijn-b", "welzijn-a"]
    assert _ids(busy_b.candidates) == ["welzijn-a", "welzijn-b"]


def test_load_does_not_put_a_citywide_partner_before_the_callers_own_area():
    partners = [_partner("welzijn-stad"), _partner("welzijn-noord", areas=frozenset({"Noord"}))]

    decision = _route(partners, area="Noord", load={"welzijn-noord": 50})

    assert _ids(decision.candidates) == ["welzijn-noord", "welzijn-stad"]


def test_load_does_not_override_the_preferred_partner_type():
    partners = [_partner("welzijn-a"), _partner("wijkteam-a", PartnerType.DISTRICT_TEAM)]

    decision = _route(partners, load={"welzijn-a": 50})

    assert _ids(decision.candidates) == ["welzijn-a", "wijkteam-a"]


def test_partner_whose_number_keeps_failing_comes_last():
    partners = [
        _partner("welzijn-noord", areas=frozenset({"Noord"})),
        _partner("welzijn-stad"),
        _partner("wijkteam-stad", PartnerType.DISTRICT_TEAM),
    ]

    decision = _route(partners, area="Noord", failing={"welzijn-noord"})

    assert _ids(decision.candidates) == ["welzijn-stad", "wijkteam-stad", "welzijn-noord"]
    assert _ids(decision.choices()) == ["welzijn-stad"]


def test_paused_partner_is_never_offered_even_when_it_is_the_only_one():
    decision = _route([_partner("welzijn-a", paused=True)])

    assert decision.candidates == ()
    assert decision.to_operator


def test_paused_partner_is_skipped_for_the_next_one():
    partners = [_partner("welzijn-a", paused=True), _partner("welzijn-b")]

    assert _ids(_route(partners).candidates) == ["welzijn-b"]


def test_partner_in_another_area_is_not_offered():
    partners = [_partner("welzijn-zuid", areas=frozenset({"Charlois"})), _partner("welzijn-stad")]

    assert _ids(_route(partners, area="Noord").candidates) == ["welzijn-stad"]


def test_choices_are_the_open_partners_equivalent_to_the_best_one():
    partners = [
        _partner("welzijn-a"),
        _partner("welzijn-b"),
        _partner("welzijn-closed", hours=NEVER),
        _partner("wijkteam-a", PartnerType.DISTRICT_TEAM),
    ]

    decision = _route(partners)

    assert _ids(decision.choices()) == ["welzijn-a", "welzijn-b"]


def test_choices_follow_the_load_among_equivalent_partners():
    partners = [_partner("welzijn-a"), _partner("welzijn-b")]

    decision = _route(partners, load={"welzijn-a": 2})

    assert _ids(decision.choices()) == ["welzijn-b", "welzijn-a"]


def test_choices_fall_to_the_next_type_when_the_preferred_type_is_closed():
    partners = [
        _partner("welzijn-a", hours=NEVER),
        _partner("wijkteam-a", PartnerType.DISTRICT_TEAM),
        _partner("wijkteam-b", PartnerType.DISTRICT_TEAM),
    ]

    assert _ids(_route(partners).choices()) == ["wijkteam-a", "wijkteam-b"]


def test_own_area_partner_is_the_only_choice_when_open():
    partners = [_partner("welzijn-stad"), _partner("welzijn-noord", areas=frozenset({"Noord"}))]

    assert _ids(_route(partners, area="Noord").choices()) == ["welzijn-noord"]


def test_when_nobody_is_open_the_earliest_opening_partner_is_named():
    partners = [
        _partner("welzijn-a", hours=_weekdays("09:00-17:00")),
        _partner("wijkteam-a", PartnerType.DISTRICT_TEAM, hours=_weekdays("08:30-17:00")),
    ]

    decision = _route(partners, now=SUNDAY_NIGHT)

    assert decision.next_opening is not None
    assert decision.next_opening.partner.id == "wijkteam-a"
    assert decision.next_opening.next_opening == datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)


def test_no_next_opening_is_named_while_someone_fitting_is_open():
    partners = [
        _partner("welzijn-a", hours=_weekdays("09:00-17:00")),
        _partner("wijkteam-a", PartnerType.DISTRICT_TEAM),
    ]

    assert _route(partners, now=SUNDAY_NIGHT).next_opening is None


def test_caller_goes_to_the_operator_when_nobody_will_open_in_the_coming_weeks():
    decision = _route([_partner("welzijn-a", hours=NEVER)])

    assert decision.candidates
    assert decision.next_opening is None
    assert decision.to_operator


def test_needs_area_when_the_area_is_unknown_and_a_local_partner_exists():
    partners = [_partner("welzijn-stad"), _partner("welzijn-noord", areas=frozenset({"Noord"}))]

    assert _route(partners).needs_area
    assert not _route(partners, area="Noord").needs_area


def test_no_area_is_needed_when_every_partner_is_citywide():
    assert not _route([_partner("welzijn-stad")]).needs_area


def test_no_area_is_needed_when_the_rule_says_so():
    rule = Rule(
        id="practical",
        categories=frozenset({Category.PRACTICAL_HELP}),
        prefer=(PartnerType.WELFARE,),
        needs_area=False,
    )
    partners = [_partner("welzijn-noord", areas=frozenset({"Noord"}))]

    assert not _route(partners, rules=(rule,)).needs_area


def test_no_area_is_needed_when_the_only_local_partner_is_paused():
    partners = [_partner("welzijn-noord", areas=frozenset({"Noord"}), paused=True)]

    assert not _route(partners).needs_area


def test_no_area_is_needed_when_no_local_partner_serves_this_caller_type():
    partners = [
        _partner("welzijn-stad"),
        _partner(
            "welzijn-noord",
            areas=frozenset({"Noord"}),
            caller_types=frozenset({CallerType.CAREGIVER}),
        ),
    ]

    assert not _route(partners, caller_type=CallerType.OTHER).needs_area


def test_needs_area_when_the_rule_routes_to_a_local_partner_by_id():
    rule = Rule(
        id="practical",
        categories=frozenset({Category.PRACTICAL_HELP}),
        route_to=("wijkteam-noord",),
    )
    partners = [_partner("wijkteam-noord", PartnerType.DISTRICT_TEAM, frozenset({"Noord"}))]

    assert _route(partners, area="Noord", rules=(rule,)).candidates, "reachable with an area"
    assert _route(partners, rules=(rule,)).needs_area


def test_partner_named_in_route_to_comes_before_preferred_types():
    rule = Rule(
        id="practical",
        categories=frozenset({Category.PRACTICAL_HELP}),
        prefer=(PartnerType.WELFARE,),
        route_to=("wijkteam-a",),
    )
    partners = [_partner("welzijn-a"), _partner("wijkteam-a", PartnerType.DISTRICT_TEAM)]

    assert _ids(_route(partners, rules=(rule,)).candidates) == ["wijkteam-a", "welzijn-a"]
