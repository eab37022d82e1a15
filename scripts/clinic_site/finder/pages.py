"""The finder's pages: their addresses, their settings (title, description, template), their HTML
from the Jinja templates in overrides/finder/ (autoescaped), and a listing's JSON-LD."""
from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import escape

from clinic_site.finder.boards import board_for
from clinic_site.finder.model import Listing, format_phone
from clinic_site.finder.vocabulary import Vocabulary
from clinic_site.project import PROJECT_ROOT

LISTING_URI = "therapists/{id}.md"
CITY_URI = "therapists/cities/{slug}.md"
DIRECTORY_URI = "therapists/index.md"
PAGE_TEMPLATE = "finder-page.html"  # overrides/finder-page.html: listing and city pages
# Listing and city pages: below the health guide in site search, which answers the same words.
SEARCH = {"boost": 0.5}


def page_url(src_uri: str) -> str:
    """Site-relative URL of a page with use_directory_urls (the MkDocs default)."""
    path = src_uri[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[:-5]
    else:
        path += "/"
    return path


def rel(from_uri: str, to_uri: str) -> str:
    """Relative link from page `from_uri` to page (or file) `to_uri`."""
    base = page_url(from_uri) or "."
    target = page_url(to_uri) if to_uri.endswith(".md") else to_uri
    link = posixpath.relpath(target or ".", base)
    if to_uri.endswith(".md"):
        link = link.rstrip("/") + "/" if link != "." else "./"
    return link


def group_by_city(listings: Iterable[Listing]) -> dict[str, list[Listing]]:
    """City slug -> its listings, in the order given."""
    cities: dict[str, list[Listing]] = {}
    for listing in listings:
        cities.setdefault(listing.city_key, []).append(listing)
    return cities


def city_page_title(city: str, state: str) -> str:
    return f"Medical massage in {city}, {state}"


def report_link(listing: Listing, report_email: str) -> str:
    """mailto: link of "Report outdated information", with the listing's id filled in."""
    subject = f"Outdated listing: {listing.id}"
    body = (f"Listing id: {listing.id}\nPage: therapists/{listing.id}/\n\n"
            "What is out of date, and what is correct now?\n")
    return f"mailto:{report_email}?subject={quote(subject)}&body={quote(body)}"


# ---------------------------------------------------------------- page settings
# Titles and descriptions go into Material's templates, which do not escape them: they are
# escaped once, here, as front matter text would reach those templates as Markdown source.
def listing_meta(listing: Listing) -> dict:
    """The page settings of a listing's page, as front matter would give them."""
    where = f"{listing.city}, {listing.state}"
    description = (f"{listing.name}: {', '.join(listing.credentials)} in {where}. "
                   "License, specialties, payment and contact details.")
    if len(escape(description)) > 160:
        description = f"A listed therapist in {where}: license, specialties, payment and contact details."
    return {"title": str(escape(listing.name)), "description": str(escape(description)),
            "template": PAGE_TEMPLATE, "search": SEARCH}


def city_meta(group: list[Listing]) -> dict:
    """The page settings of a city's page."""
    first = group[0]
    place = f"{first.city}, {first.state}"
    description = (f"Medical massage and physical therapy in {place}: {len(group)} listed therapists, "
                   "their specialties, licenses and contact details.")
    return {"title": str(escape(city_page_title(first.city, first.state))), "description": str(escape(description)),
            "template": PAGE_TEMPLATE, "search": SEARCH}


# ---------------------------------------------------------------- HTML
def standalone_environment(overrides: Path = PROJECT_ROOT / "overrides") -> jinja2.Environment:
    """A Jinja environment that finds overrides/finder/*.html, for tests and tools that render
    the finder without a MkDocs build (the build uses the theme's own environment)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(overrides)))


class Pages:
    """Renders the finder's HTML from overrides/finder/*.html.

    env: the theme's Jinja environment (the hook's on_env gives it); the templates are loaded
    once, through an overlay of it with autoescaping on, so every value is escaped by Jinja."""

    def __init__(self, env: jinja2.Environment, vocabulary: Vocabulary, boards: Mapping, report_email: str):
        self.env = env.overlay(autoescape=True)
        self.vocabulary, self.boards, self.report_email = vocabulary, boards, report_email
        self._listing = self.env.get_template("finder/listing.html")
        self._city = self.env.get_template("finder/city.html")
        self._directory = self.env.get_template("finder/directory.html")
        self._cities = self.env.get_template("finder/cities.html")
        self._item = self.env.get_template("finder/macros.html").module.item  # type: ignore[attr-defined]

    def listing(self, listing: Listing) -> str:
        """The body of a listing's page."""
        uri = LISTING_URI.format(id=listing.id)
        return self._listing.render(
            l=listing, v=self.vocabulary, tel=listing.tel, phone=format_phone(listing.phone),
            board=board_for(listing, self.boards, self.vocabulary.physical_therapy_credentials),
            city_href=rel(uri, CITY_URI.format(slug=listing.city_key)), directory_href=rel(uri, DIRECTORY_URI),
            report_href=report_link(listing, self.report_email))

    def item(self, listing: Listing, from_uri: str) -> str:
        """One directory entry (<li>), linked from the page `from_uri`."""
        return str(self._item(listing, rel(from_uri, LISTING_URI.format(id=listing.id)), self.vocabulary.specialties))

    def city(self, slug: str, group: list[Listing]) -> str:
        """The body of a city's page: its introduction and its listings by name."""
        first = group[0]
        uri = CITY_URI.format(slug=slug)
        labels = self.vocabulary.specialties.labels
        return self._city.render(
            title=city_page_title(first.city, first.state), place=f"{first.city}, {first.state}",
            city=first.city, state=first.state, n=len(group), v=self.vocabulary,
            samples=sum(listing.sample for listing in group),
            accepting=sum(listing.accepting_new_clients for listing in group),
            telehealth=sum(listing.telehealth for listing in group),
            specialties=", ".join(sorted({labels[s] for listing in group for s in listing.specialties})),
            items=_linked(sorted(group, key=lambda listing: (listing.name.lower(), listing.id)), uri),
            directory_href=rel(uri, DIRECTORY_URI))

    def directory(self, listings: list[Listing], *, zip_base: str, zip_digits: int = 2, page_size: int = 50,
                  from_uri: str = DIRECTORY_URI) -> str:
        """The directory: search controls, result count and every listing, in the order given."""
        v = self.vocabulary

        def by_label(labels: Mapping[str, str]) -> list[tuple[str, str]]:
            return sorted(labels.items(), key=lambda item: item[1].lower())
        return self._directory.render(
            listings=listings, items=_linked(listings, from_uri), v=v, samples=sum(item.sample for item in listings),
            zip_base=zip_base, zip_digits=int(zip_digits), page_size=int(page_size),
            specialties=by_label(v.specialties.labels), languages=by_label(v.languages.labels),
            payment=by_label(v.payment.labels),
            credentials=by_label({code: f"{code} ({label})" for code, label in v.credentials.labels.items()}))

    def city_links(self, cities: Mapping[str, list[Listing]], from_uri: str = DIRECTORY_URI) -> str:
        """The list of city pages, by state then city, with how many listings each has."""
        rows = [(rel(from_uri, CITY_URI.format(slug=slug)), group[0].city, group[0].state, len(group))
                for slug, group in sorted(cities.items(), key=lambda item: (item[1][0].state, item[1][0].city))]
        return self._cities.render(cities=rows)


def _linked(listings: Iterable[Listing], from_uri: str) -> list[tuple[Listing, str]]:
    return [(listing, rel(from_uri, LISTING_URI.format(id=listing.id))) for listing in listings]


# ---------------------------------------------------------------- structured data
def listing_jsonld(listing: Listing, url: str, vocabulary: Vocabulary) -> str:
    """schema.org Physiotherapy JSON-LD, safe to place inside <script type="application/ld+json">."""
    data = {
        "@context": "https://schema.org",
        "@type": "Physiotherapy",
        "@id": url,
        "name": listing.name if not listing.clinic else f"{listing.name}, {listing.clinic}",
        "url": url,
        "telephone": listing.tel,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": listing.street,
            "addressLocality": listing.city,
            "addressRegion": listing.state,
            "postalCode": listing.zip,
            "addressCountry": "US",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": listing.latitude, "longitude": listing.longitude},
        "medicalSpecialty": "PhysicalTherapy",
        "availableService": [{"@type": "MedicalTherapy", "name": vocabulary.specialties.labels[s]}
                             for s in listing.specialties],
        "knowsLanguage": [vocabulary.languages.labels[code] for code in listing.languages],
        "paymentAccepted": vocabulary.payment.join(listing.payment),
    }
    if listing.website:
        data["sameAs"] = listing.website
    if listing.sample:
        data["description"] = "Fictional sample listing, not a real therapist."
    return json_for_script(data)


def json_for_script(data) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
