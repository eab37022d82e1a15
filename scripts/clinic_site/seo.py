"""What search engines read: schema.org structured data, last-modified dates, robots.txt.

Pure functions; scripts/hooks/content.py hands their results to the templates.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from clinic_site.clinic_settings import ClinicDetails

SCHEMA = "https://schema.org"


def load_people(authors_file: Path, site_url: str) -> dict[str, dict]:
    """Everyone named on the site (authors and reviewers), from the blog's .authors.yml ({} when
    it cannot be read: clinic_site.people.read_people names why).

    Each person's `url` is their page on this site ("people/alex-example/", made absolute here
    with site_url for structured data) or their own web address ("https://www.linkedin.com/in/…",
    kept as it is).
    """
    from clinic_site.people import read_people  # people.py uses absolute_url below
    people, _problems = read_people(authors_file, authors_file.name, site_url)
    return people


def absolute_url(url: object, site_url: str) -> str | None:
    """A person's address as structured data and link previews need it: a whole address
    (https://…, or any scheme) as it is; a site-relative one ("people/x/", "/people/x/") after
    site_url; None when there is none."""
    if not url or not isinstance(url, str):
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith("//"):
        return url
    return site_url + url.lstrip("/")


def person(entry: dict) -> dict:
    """A schema.org Person from an .authors.yml entry (name, and the absolute URL of their page)."""
    data = {"@type": "Person", "name": entry["name"]}
    if entry.get("absolute_url"):
        data["url"] = entry["absolute_url"]
    return data


def clinic_id(site_url: str) -> str:
    """The clinic's JSON-LD node identifier: site_url + "#clinic". The home page describes the clinic
    under it; every other page's structured data refers to it as {"@id": ...} (publisher, provider)."""
    return site_url + "#clinic"


def clinic_ref(site_url: str) -> dict:
    """A reference to the clinic's node, by its @id only (the name is said once, on the home page)."""
    return {"@id": clinic_id(site_url)}


def clinic_address(details: ClinicDetails) -> dict:
    """schema.org PostalAddress of the clinic (US only: the clinic block checks a US state and ZIP)."""
    return {"@type": "PostalAddress", "streetAddress": details.street, "addressLocality": details.city,
            "addressRegion": details.state, "postalCode": details.zip, "addressCountry": "US"}


def opening_hours(details: ClinicDetails) -> list[dict]:
    """schema.org OpeningHoursSpecification, one per row of the clinic's hours; days as schema.org
    DayOfWeek names, times as HH:MM (https://schema.org/OpeningHoursSpecification)."""
    return [{"@type": "OpeningHoursSpecification", "dayOfWeek": list(row.days), "opens": row.opens,
             "closes": row.closes} for row in details.hours]


def medical_clinic(details: ClinicDetails, site_url: str, services_urls: dict[str, str] | None = None) -> dict:
    """The one description of the clinic (home page): a MedicalClinic with its @id, address, position,
    telephone in E.164 form, logo as image, hours, services, and booking as a ReserveAction when
    the clinic block gives a booking link. `services_urls` maps a service's page (docs path) to its
    absolute URL."""
    logo = site_url + details.logo
    data = {"@context": SCHEMA, "@type": "MedicalClinic", "@id": clinic_id(site_url), "name": details.name,
            "alternateName": details.short_name, "url": site_url, "telephone": details.phone_e164,
            "image": logo, "logo": logo, "address": clinic_address(details)}
    if details.email:
        data["email"] = details.email
    if details.latitude is not None and details.longitude is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": details.latitude, "longitude": details.longitude}
    if details.directions_url:
        data["hasMap"] = details.directions_url
    if details.hours:
        data["openingHoursSpecification"] = opening_hours(details)
    if details.services:
        data["availableService"] = [
            {"@type": "MedicalTherapy", "name": service.name, "description": service.summary,
             **({"url": services_urls[service.page]} if services_urls and service.page in services_urls else {})}
            for service in details.services]
    if details.booking_url:
        data["potentialAction"] = {"@type": "ReserveAction", "name": "Book an appointment",
                                   "target": {"@type": "EntryPoint", "urlTemplate": details.booking_url,
                                              "actionPlatform": ["https://schema.org/DesktopWebPlatform",
                                                                 "https://schema.org/MobileWebPlatform"]}}
    return data


def web_page(*, title: str, description: str, url: str, site_url: str) -> dict:
    """Any page that is neither the home page, a guide page nor a post: a WebPage the clinic publishes."""
    data = {"@context": SCHEMA, "@type": "WebPage", "name": title, "url": url, "inLanguage": "en-US",
            "publisher": clinic_ref(site_url)}
    if description:
        data["description"] = description
    return data


def medical_web_page(*, title: str, description: str, url: str, last_reviewed: dt.date,
                     reviewer: dict, site_url: str) -> dict:
    """A reviewed health page (guide): MedicalWebPage with its reviewer and review date; the clinic
    as publisher, by @id."""
    return {"@context": SCHEMA, "@type": "MedicalWebPage", "name": title, "headline": title,
            "description": description, "url": url, "inLanguage": "en-US",
            "lastReviewed": last_reviewed.isoformat(), "reviewedBy": person(reviewer),
            "publisher": clinic_ref(site_url)}


def blog_posting(*, headline: str, description: str, url: str, image: str, published: dt.date,
                 modified: dt.date, authors: list[dict], site_url: str) -> dict:
    """A blog post: BlogPosting (a schema.org Article) with Google's Article properties (headline,
    image, datePublished, dateModified, author) and the clinic as publisher, by @id."""
    return {"@context": SCHEMA, "@type": "BlogPosting", "headline": headline, "description": description,
            "url": url, "mainEntityOfPage": url, "image": image, "inLanguage": "en-US",
            "datePublished": iso_datetime(published), "dateModified": iso_datetime(modified),
            "author": [person(author) for author in authors], "publisher": clinic_ref(site_url)}


def iso_datetime(value: dt.date | dt.datetime) -> str:
    """ISO 8601 text of a date: "2026-11-20" for a day, "2026-11-20T00:00:00-06:00" for a moment
    (a post's dates are moments in the clinic's time zone: clinic_site.feeds.post_dates)."""
    return value.isoformat()


def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    """crumbs: (name, absolute url) from the home page down to the page itself."""
    return {"@context": SCHEMA, "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": position, "name": name, "item": url}
        for position, (name, url) in enumerate(crumbs, start=1)]}


# ---- Titles, descriptions and link-preview tags ----

TITLE_MAX = 60  # characters Google shows of a title before cutting it (Search Central: title links)


def page_title(title: str, details: ClinicDetails) -> str:
    """A page's <title>: its own title, then " | " and the clinic's short name."""
    title = " ".join(title.split())
    suffix = f" | {details.short_name}"
    return title if title.endswith(suffix) else title + suffix


def home_title(details: ClinicDetails) -> str:
    """The home page's <title>, at most TITLE_MAX characters, naming the clinic, its main service (the
    first in the clinic block), its city and state: "Riverbend Clinic: Medical massage in Springfield,
    IL". (The clinic comes first: the finder's city page is "Medical massage in Springfield, IL".)
    Shorter forms are tried when that is too long; the last resort is the short name alone."""
    service = details.services[0].name if details.services else ""
    candidates = [f"{details.short_name}: {service} in {details.city_state}" if service else "",
                  f"{details.short_name} | {details.city_state}", details.short_name]
    return next((candidate for candidate in candidates if candidate and len(candidate) <= TITLE_MAX),
                details.short_name[:TITLE_MAX])


DESCRIPTION_MAX = 160  # characters of a description search results show, about


def home_description(details: ClinicDetails) -> str:
    """The home page's meta description from the clinic block: the clinic, its city and state, its
    first two services, and how to call or book, in DESCRIPTION_MAX characters or fewer
    ("Riverbend Clinic in Springfield, IL offers medical massage and physical therapy. Call
    (217) 555-0100 or book online.")."""
    names = [_lower_first(service.name) for service in details.services[:2]]
    offers = f" offers {' and '.join(names)}" if names else ""
    book = " or book online" if details.booking_url else ""
    text = f"{details.short_name} in {details.city_state}{offers}. Call {details.phone_display}{book}."
    return text if len(text) <= DESCRIPTION_MAX else f"{details.short_name} in {details.city_state}{offers}."


def _lower_first(name: str) -> str:
    # "Medical massage" -> "medical massage"; "MLD therapy" stays as it is.
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def social_tags(*, title: str, description: str, url: str, site_name: str, image: dict[str, str] | None,
                article: dict | None = None) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags as (attribute, name, value): clinic_site.render.meta_tags
    writes them, every value attribute-escaped once (a description holding "ice" or <b> comes out
    whole). `image`: {"url", "type", "width", "height"} of the page's social card, or None.
    `article` (blog posts): {"published": date, "modified": date, "authors": [name or profile
    URL]} gives og:type "article" and its article:* tags (ogp.me, Article)."""
    tags: list[tuple[str, str, str]] = [("property", "og:type", "article" if article else "website"),
                                        ("property", "og:site_name", site_name),
                                        ("property", "og:title", title), ("property", "og:description", description),
                                        ("property", "og:url", url)]
    if image:
        tags += [("property", f"og:image{'' if key == 'url' else ':' + key}", str(value))
                 for key, value in image.items()]
    if article:
        tags += [("property", "article:published_time", iso_datetime(article["published"])),
                 ("property", "article:modified_time", iso_datetime(article["modified"]))]
        tags += [("property", "article:author", author) for author in article["authors"]]
    tags += [("name", "twitter:card", "summary_large_image" if image else "summary"),
             ("name", "twitter:title", title), ("name", "twitter:description", description)]
    if image:
        tags.append(("name", "twitter:image", image["url"]))
    return [(kind, key, value) for kind, key, value in tags if value]


_SOCIAL_IMAGE = re.compile(r'<meta property="og:image(?::(type|width|height))?" content="([^"<>]*)" />')


def replace_head_tags(output: str, *, written: str, description: str, tags: str) -> str:
    """A written page with Material's meta description (base.html writes page.meta.description
    unescaped) escaped once, and the Open Graph and Twitter tags of Material's social plugin
    (9.8.1 writes them, titles unescaped, as one block just before </head>) replaced by `tags`
    (from social_tags). A page without that block gets `tags` before </head>. `written`: the page's
    description as base.html wrote it; `description`: its plain text."""
    raw = f'<meta name="description" content="{written}">'
    escaped = f'<meta name="description" content="{html.escape(description, quote=True)}">'
    output = output.replace(raw, escaped, 1)
    start, end = output.find('<meta property="og:type"'), output.find("</head>")
    if 0 <= start < end:
        output = output[:start] + output[end:]
        end = start
    return output[:end] + tags + "\n" + output[end:] if end >= 0 else output


def social_image(output: str) -> dict[str, str] | None:
    """{"url", "type", "width", "height"} of the social card the plugin gave a written page, or None."""
    found = {(kind or "url"): value for kind, value in _SOCIAL_IMAGE.findall(output)}
    return found if "url" in found else None


def script_json(data: dict) -> str:
    """JSON safe inside <script type="application/ld+json">: no "</script>" can close it early.
    Text stays plain text (never HTML entities): <, > and & are written as JSON's \\u003c, \\u003e
    and \\u0026, which a JSON parser reads back as the characters."""
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
    # The sitemap index names sitemap.xml and the finder's sitemaps (clinic_site.finder.sitemaps).
    # The editor (admin/) is for staff: not for search engines (its page also says noindex).
    root = urlsplit(site_url).path or "/"
    return f"User-agent: *\nAllow: /\nDisallow: {root}admin/\n\nSitemap: {site_url}sitemap-index.xml\n"
