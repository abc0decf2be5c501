"""The fixed ids the rest of the product and its measurements rely on."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    EMOTIONAL_SUPPORT = "emotional_support"
    RESPITE_CARE = "respite_care"
    PRACTICAL_HELP = "practical_help"
    CARE_ARRANGEMENTS = "care_arrangements"
    MONEY_AND_LAW = "money_and_law"
    HEALTH = "health"
    DEMENTIA = "dementia"
    YOUNG_CARERS = "young_carers"
    ACUTE_MEDICAL = "acute_medical"
    SUICIDE_RISK = "suicide_risk"
    ABUSE_SAFETY = "abuse_safety"
    UNCLEAR = "unclear"

    @property
    def is_crisis(self) -> bool:
        return self in CRISIS_CATEGORIES


# Order matters: when two crisis signals meet, the first one listed is escalated.
CRISIS_CATEGORIES = (Category.SUICIDE_RISK, Category.ACUTE_MEDICAL, Category.ABUSE_SAFETY)


class CallerType(StrEnum):
    CAREGIVER = "caregiver"
    PROFESSIONAL = "professional"
    OTHER = "other"


AREAS = (
    "Centrum",
    "Delfshaven",
    "Overschie",
    "Noord",
    "Hillegersberg-Schiebroek",
    "Kralingen-Crooswijk",
    "Prins Alexander",
    "Feijenoord",
    "IJsselmonde",
    "Charlois",
    "Hoogvliet",
    "Pernis",
    "Rozenburg",
    "Hoek van Holland",
)


class PartnerType(StrEnum):
    WELFARE = "welfare"
    DISTRICT_TEAM = "district_team"
    GP_PRACTICE = "gp_practice"
    CAREGIVER_BROKER = "caregiver_broker"
    RESPITE = "respite"
    DEMENTIA_CASE_MANAGEMENT = "dementia_case_management"
    YOUNG_CARERS = "young_carers"
    VOLUNTEER_SERVICE = "volunteer_service"
    LEGAL_ADVICE = "legal_advice"
    HOME_CARE = "home_care"
    LISTENING_LINE = "listening_line"
    CRISIS_LINE = "crisis_line"
    GP_OUT_OF_HOURS = "gp_out_of_hours"
