"""What search engines read: schema.org structured data, last-modified dates, robots.txt.

Pure functions; scripts/hooks/content.py hands their results to the templates.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from clinic_site.problems import Problem

SCHEMA = "https://schema.org"


def load_people(authors_file: Path, site_url: str) -> dict[str, dict]:
    """Everyone named on the site (authors and reviewers), from the blog's .authors.yml.

    Each person's `url` is their page's path; it becomes absolute here for structured data.
    """
    people = (yaml.safe_load(authors_file.read_text(encoding="utf-8")) or {}).get("authors") or {}
    return {person_id: {**person, "absolute_url": site_url + person["url"] if person.get("url") else None}
            for person_id, person in people.items()}


def person(entry: dict) -> dict:
    data = {"@type": "Person", "name": entry["name"]}
    if entry.get("absolute_url"):
        data["url"] = entry["absolute_url"]
    return data


def clinic_address(clinic: dict) -> dict:
    return {"@type": "PostalAddress", "streetAddress": clinic["street"], "addressLocality": clinic["city"],
            "addressRegion": clinic["state"], "postalCode": str(clinic["zip"]), "addressCountry": "US"}


def medical_clinic(clinic: dict, site_url: str) -> dict:
    return {"@context": SCHEMA, "@type": "MedicalClinic", "name": clinic["name"], "url": site_url,
            "telephone": clinic["phone"], "address": clinic_address(clinic),
            "logo": site_url + clinic["logo"], "openingHours": list(clinic.get("hours") or [])}


def medical_web_page(*, title: str, description: str, url: str, last_reviewed: dt.date,
                     reviewer: dict, clinic_name: str) -> dict:
    return {"@context": SCHEMA, "@type": "MedicalWebPage", "name": title, "headline": title,
            "description": description, "url": url, "inLanguage": "en-US",
            "lastReviewed": last_reviewed.isoformat(), "reviewedBy": person(reviewer),
            "publisher": {"@type": "MedicalClinic", "name": clinic_name}}


def blog_posting(*, headline: str, description: str, url: str, image: str, published: dt.date,
                 modified: dt.date, authors: list[dict]) -> dict:
    return {"@context": SCHEMA, "@type": "BlogPosting", "headline": headline, "description": description,
            "url": url, "mainEntityOfPage": url, "image": image, "inLanguage": "en-US",
            "datePublished": published.isoformat(), "dateModified": modified.isoformat(),
            "author": [person(author) for author in authors]}


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    """crumbs: (name, absolute url) from the home page down to the page itself."""
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": position, "name": name, "item": url}
        for position, (name, url) in enumerate(crumbs, start=1)]}


def script_json(data: dict) -> str:
    """JSON safe inside <script type="application/ld+json">: no "</script>" can close it early."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("&", "\\u0026")


def git_dates(git_log_output: str) -> dict[str, str]:
    """Last commit date of each file, from `git log --format=%cs --name-only` (newest first)."""
    dates: dict[str, str] = {}
    current = ""
    for line in git_log_output.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line) == 10 and line[4] == "-" and line[7] == "-" and line.replace("-", "").isdigit():
            current = line
        elif current:
            dates.setdefault(line, current)
    return dates


def last_modified(meta: dict, git_date: str | None) -> str | None:
    """A page's real last-modified date for the sitemap.

    A blog post's `date.updated` or `date.created`, a guide page's `last_reviewed`
    (its content changes only with a review), else the last commit of its file.
    """
    date = meta.get("date")
    if isinstance(date, dict):
        date = date.get("updated") or date.get("created")
    for candidate in (date, meta.get("last_reviewed")):
        if isinstance(candidate, dt.datetime):
            return candidate.date().isoformat()
        if isinstance(candidate, dt.date):
            return candidate.isoformat()
    return git_date


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def read_people(authors_file: Path, shown_path: str, site_url: str) -> tuple[dict[str, dict], list[Problem]]:
    """`load_people`, with a Problem instead of a traceback when the file is missing, is not
    valid YAML, or has a person without a name: (people by id, problems)."""
    def problem(line: int, what: str, fix: str) -> Problem:
        return Problem(shown_path, line, "authors", what, fix)

    if not authors_file.is_file():
        return {}, [problem(1, "the file is missing", "restore it: it lists everyone named on the site "
                            "(see the README), with `authors:` and an entry per person")]
    try:
        data = yaml.safe_load(authors_file.read_text(encoding="utf-8-sig")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", error)
        return {}, [problem(mark.line + 1 if mark else 1, f"the file is not valid YAML ({reason})",
                            "check the indentation (two spaces per level) and put text containing ': ' in quotes")]
    people = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(people, dict):
        return {}, [problem(1, "has no `authors:` list of people", "start the file with `authors:` and an entry "
                            "per person, indented by two spaces")]
    problems = [problem(1, f"the person '{person_id}' has no name", f"add `name:` under {person_id}")
                for person_id, person in people.items() if not isinstance(person, dict) or not person.get("name")]
    if problems:
        return {}, problems
    return load_people(authors_file, site_url), []
