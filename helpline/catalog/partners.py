"""`partners/<id>.yaml` -> Partner, and `partners/_areas.yaml` -> AreaIndex."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpline.catalog.source import Location, parse, problem, yaml_lines
from helpline.domain.areas import AreaIndex
from helpline.domain.directory import Interval, OpeningHours, Partner
from helpline.domain.errors import DataFileError
from helpline.domain.taxonomy import AREAS, CallerType, Category, PartnerType
from helpline.domain.text import fold

_RANGE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
AREAS_FILE = "_areas.yaml"


def to_interval(text: str) -> Interval:
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a time range like '09:00-17:00'")
    start = int(match[1]) * 60 + int(match[2])
    end = int(match[3]) * 60 + int(match[4])
    if not start < end <= 1440:
        raise ValueError(f"{text!r} must end after it starts, at 24:00 at the latest")
    return start, end


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Texts(_Strict):
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ExceptionEntry(_Strict):
    date: dt.date
    hours: list[str]

    @field_validator("hours")
    @classmethod
    def _ranges(cls, value: list[str]) -> list[str]:
        for item in value:
            to_interval(item)
        return value


class PartnerFile(_Strict):
    name: str = Field(min_length=1)
    type: PartnerType
    description: Texts
    categories: list[Category] = Field(min_length=1)
    caller_types: list[CallerType] = Field(default_factory=lambda: list(CallerType))
    areas: list[str] = Field(min_length=1)
    phones: list[str] = Field(min_length=1)
    hours: Literal["always"] | dict[Day, list[str]]
    open_on_public_holidays: bool = False
    exceptions: list[ExceptionEntry] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["nl"])
    paused: bool = False
    example_data: bool = True

    @field_validator("areas")
    @classmethod
    def _known_areas(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in AREAS and a != "all"]
        if unknown:
            raise ValueError(f"unknown area {unknown[0]!r}; use one of {', '.join(AREAS)} or all")
        return value

    @field_validator("phones")
    @classmethod
    def _e164(cls, value: list[str]) -> list[str]:
        for number in value:
            if not is_valid_e164(number):
                raise ValueError(f"{number!r} is not a valid E.164 number like '+31102001101'")
        return value

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str | dict[str, list[str]]) -> str | dict[str, list[str]]:
        if isinstance(value, dict):
            for ranges in value.values():
                for item in ranges:
                    to_interval(item)
        return value


def is_valid_e164(number: str) -> bool:
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return formatted == number and phonenumbers.is_valid_number(parsed)


def load_partner(path: Path) -> Partner:
    entry = parse(PartnerFile, path)
    if not _ID.match(path.stem):
        raise DataFileError(path, [f"{path}:1: (file): partner id {path.stem!r} is not kebab-case"])
    return to_partner(path.stem, entry)


def to_partner(partner_id: str, entry: PartnerFile) -> Partner:
    return Partner(
        id=partner_id,
        name=entry.name,
        type=entry.type,
        categories=frozenset(entry.categories),
        caller_types=frozenset(entry.caller_types),
        areas=frozenset() if "all" in entry.areas else frozenset(entry.areas),
        phones=tuple(entry.phones),
        hours=_to_hours(entry),
        languages=tuple(entry.languages),
        description_nl=entry.description.nl,
        description_en=entry.description.en,
        paused=entry.paused,
        example_data=entry.example_data,
    )


def _to_hours(entry: PartnerFile) -> OpeningHours:
    exceptions = {e.date: tuple(to_interval(r) for r in e.hours) for e in entry.exceptions}
    if entry.hours == "always":
        return OpeningHours(always=True, open_on_public_holidays=True, exceptions=exceptions)
    days = {str(day): ranges for day, ranges in entry.hours.items()}
    weekly = tuple(tuple(to_interval(r) for r in days.get(day, [])) for day in _DAYS)
    return OpeningHours(
        weekly=weekly,
        open_on_public_holidays=entry.open_on_public_holidays,
        exceptions=exceptions,
    )


class AreaEntry(_Strict):
    postcodes: list[str] = Field(min_length=1)
    neighbourhoods: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)

    @field_validator("postcodes")
    @classmethod
    def _postcodes(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(r"\d{4}(-\d{4})?", item):
                raise ValueError(f"{item!r} is not a postcode like '3011' or range '3011-3016'")
        return value


class AreasFile(_Strict):
    areas: dict[str, AreaEntry]

    @field_validator("areas")
    @classmethod
    def _all_areas(cls, value: dict[str, AreaEntry]) -> dict[str, AreaEntry]:
        unknown = sorted(set(value) - set(AREAS))
        if unknown:
            raise ValueError(f"unknown area {unknown[0]!r}")
        return value


def load_areas(path: Path) -> AreaIndex:
    """Postcodes and names per gebied; a postcode or name in two gebieden is an error."""
    parsed = parse(AreasFile, path)
    postcodes: dict[str, str] = {}
    names: dict[str, str] = {}
    clashes: list[tuple[Location, str]] = []
    names.update({fold(area).replace(" ", ""): area for area in parsed.areas})
    for area, entry in parsed.areas.items():
        clashes += _claim_postcodes(area, entry, postcodes)
        clashes += _claim_names(area, entry, names)
    if clashes:
        lines = yaml_lines(path.read_text(encoding="utf-8"))
        raise DataFileError(path, [problem(path, lines, loc, msg) for loc, msg in clashes])
    return AreaIndex(postcodes=postcodes, names=names)


def _claim_postcodes(
    area: str, entry: AreaEntry, postcodes: dict[str, str]
) -> list[tuple[Location, str]]:
    clashes: list[tuple[Location, str]] = []
    for index, item in enumerate(entry.postcodes):
        first, _, last = item.partition("-")
        for number in range(int(first), int(last or first) + 1):
            code = f"{number:04d}"
            if postcodes.setdefault(code, area) != area:
                where: Location = ("areas", area, "postcodes", index)
                clashes.append((where, f"{code} is also in {postcodes[code]}"))
    return clashes


def _claim_names(area: str, entry: AreaEntry, names: dict[str, str]) -> list[tuple[Location, str]]:
    clashes: list[tuple[Location, str]] = []
    for field_name in ("neighbourhoods", "aliases"):
        for index, name in enumerate(getattr(entry, field_name)):
            key = fold(name).replace(" ", "")
            if names.setdefault(key, area) != area:
                where: Location = ("areas", area, field_name, index)
                clashes.append((where, f"{name!r} is also a name in {names[key]}"))
    return clashes
