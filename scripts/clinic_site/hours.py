"""The clinic's opening hours: `hours:` of the clinic block read, checked and put into words.

The block gives one item per group of days: `days: [Monday, Tuesday]`, `opens: "08:00"`,
`closes: "18:00"` (24-hour times in quotes; YAML reads an unquoted 18:00 as the number 1080).
Day names are schema.org's DayOfWeek names (https://schema.org/DayOfWeek), in week order.
A day may have several rows when their times do not overlap: a lunch break is two rows
(08:00 to 12:00 and 13:00 to 18:00), as schema.org allows several OpeningHoursSpecification
entries a day; rows that overlap are refused, naming both.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

# schema.org's DayOfWeek names (https://schema.org/DayOfWeek), in week order.
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclasses.dataclass(frozen=True)
class HoursRow:
    """One group of days with the same opening hours.

    days:         schema.org day names in week order ("Monday", ...)
    opens/closes: 24-hour "HH:MM" ("08:00", "18:00"), as schema.org's opens/closes want them
    days_label:   the days in words: "Monday to Friday", "Saturday", "Monday, Wednesday and Friday"
    opens_label/closes_label: the times in words: "8 am", "6 pm", "12:30 pm", "noon"
    """

    days: tuple[str, ...]
    opens: str
    closes: str
    days_label: str
    opens_label: str
    closes_label: str


@dataclasses.dataclass(frozen=True)
class HoursSpan:
    """One opening of a day: 24-hour "HH:MM" times and their words ("8 am", "noon")."""

    opens: str
    closes: str
    opens_label: str
    closes_label: str


@dataclasses.dataclass(frozen=True)
class HoursLine:
    """One line of the hours as people read them: days with the same openings ("Monday to
    Friday") and those openings in order (a lunch break makes two); `label` in words:
    "8 am to noon and 1 pm to 6 pm"."""

    days_label: str
    spans: tuple[HoursSpan, ...]
    label: str


def hours_problems(hours: Any) -> list[tuple[str, str, str]]:
    """(field, what, fix) for each way `hours` (the YAML value) does not parse: not a list of
    {days, opens, closes}, a day that is not a day name, a time not HH:MM (24-hour), closing
    before opening, a day given twice in one row, or two rows whose times overlap on a day.
    Field names count rows from 1 ("hours.2.closes")."""
    example = 'for example: - days: [Monday, Tuesday]  opens: "08:00"  closes: "18:00"'
    if not isinstance(hours, list):
        return [("hours", "must be a list of opening hours", f"write one item per group of days, {example}")]
    found: list[tuple[str, str, str]] = []
    taken: dict[str, list[tuple[str, str, int]]] = {}   # day -> (opens, closes, row) of earlier rows
    for number, row in enumerate(hours, start=1):
        seen: set[str] = set()
        where = f"hours.{number}"
        if not isinstance(row, dict):
            found.append((where, f"is {row!r}, not days with opening and closing times",
                          f"write `days:`, `opens:` and `closes:`, {example}"))
            continue
        days = row.get("days")
        if isinstance(days, str):
            days = [days]
        if not isinstance(days, list) or not days:
            found.append((f"{where}.days", "must list the days", "write them in brackets, for example "
                          "days: [Monday, Tuesday, Wednesday]"))
        else:
            for day in days:
                name = _day_name(day)
                if name is None:
                    found.append((f"{where}.days", f"has '{day}', which is not a day of the week",
                                  "write full English day names: " + ", ".join(DAYS)))
                elif name in seen:
                    found.append((f"{where}.days", f"has {name} a second time", "give each day once in a row"))
                else:
                    seen.add(name)
        times = {}
        for key in ("opens", "closes"):
            value = row.get(key)
            times[key] = parse_time(value)
            if times[key] is None:
                shown = "missing" if value is None else (
                    f"{value!r}, which YAML read as a number" if isinstance(value, int) else f"'{value}'")
                example_time = "08:00" if key == "opens" else "18:00"
                found.append((f"{where}.{key}", f"is {shown}, not a 24-hour time (HH:MM)",
                              f'write the time in quotes, for example {key}: "{example_time}"'))
        opens, closes = times["opens"], times["closes"]
        if opens and closes and closes <= opens:
            found.append((f"{where}.closes", f"is {row['closes']}, not after the opening time {row['opens']}",
                          "write the closing time after the opening time, in 24-hour form (6 pm is \"18:00\")"))
        elif opens and closes:
            clashes = []
            for day in sorted(seen, key=DAYS.index):
                clashes += [(day, other) for other in taken.get(day, []) if opens < other[1] and other[0] < closes]
                taken.setdefault(day, []).append((opens, closes, number))
            if clashes:
                days = [day for day, _ in clashes]
                other_opens, other_closes, other_row = clashes[0][1]
                found.append((f"{where}.opens", f"{opens} to {closes} on {days_label(tuple(dict.fromkeys(days)))} "
                              f"overlaps row {other_row} ({other_opens} to {other_closes})",
                              "give each day's openings once, without overlap: a lunch break is two rows, "
                              'for example opens: "08:00" closes: "12:00", then opens: "13:00" closes: "18:00"'))
    return found


def parse_time(value: Any) -> str | None:
    """"HH:MM" (two-digit hour, 00:00 to 23:59) from a 24-hour time such as "8:00" or "18:30";
    None when it is not one (YAML reads an unquoted 18:00 as the number 1080: that is None too)."""
    match = _TIME.match(value.strip()) if isinstance(value, str) else None
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def _day_name(value: Any) -> str | None:
    # A day's schema.org name, whatever its case; None when it is not a day.
    return next((day for day in DAYS if isinstance(value, str) and value.strip().lower() == day.lower()), None)


def hours_rows(hours: Any) -> tuple[HoursRow, ...]:
    """The rows of `hours` that parse (see hours_problems), with their labels."""
    rows = []
    for row in hours if isinstance(hours, list) else []:
        if not isinstance(row, dict):
            continue
        given = row.get("days")
        days: list[Any] = given if isinstance(given, list) else [given]
        names = [name for name in (_day_name(day) for day in days) if name]
        opens, closes = parse_time(row.get("opens")), parse_time(row.get("closes"))
        if names and opens and closes and opens < closes:
            ordered = tuple(sorted(set(names), key=DAYS.index))
            rows.append(HoursRow(ordered, opens, closes, days_label(ordered), time_label(opens), time_label(closes)))
    return tuple(rows)


def hours_lines(rows: tuple[HoursRow, ...]) -> tuple[HoursLine, ...]:
    """The hours as people read them: each day's openings in time order, then days with the same
    openings together, in week order of their first day ("Monday to Friday: 8 am to noon and
    1 pm to 6 pm", "Saturday: 9 am to 1 pm"). Days without hours are left out."""
    by_day: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        for day in row.days:
            by_day.setdefault(day, []).append((row.opens, row.closes))
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for day in DAYS:
        if day in by_day:
            groups.setdefault(tuple(sorted(set(by_day[day]))), []).append(day)
    lines = []
    for times, days in groups.items():
        spans = tuple(HoursSpan(opens, closes, time_label(opens), time_label(closes)) for opens, closes in times)
        words = [f"{span.opens_label} to {span.closes_label}" for span in spans]
        label = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        lines.append(HoursLine(days_label(tuple(days)), spans, label))
    return tuple(lines)


def days_label(days: tuple[str, ...]) -> str:
    """"Monday to Friday" for a run of three days or more in week order, else the days joined
    with commas and "and": "Saturday", "Saturday and Sunday", "Monday, Wednesday and Friday"."""
    indexes = [DAYS.index(day) for day in days]
    if len(days) >= 3 and indexes == list(range(indexes[0], indexes[0] + len(days))):
        return f"{days[0]} to {days[-1]}"
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


def time_label(hh_mm: str) -> str:
    """"08:00" -> "8 am", "18:30" -> "6:30 pm", "12:00" -> "noon", "00:00" -> "midnight"."""
    hour, minute = (int(part) for part in hh_mm.split(":"))
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "noon"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}:{minute:02d} {suffix}" if minute else f"{hour} {suffix}"
