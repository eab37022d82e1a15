"""The finder's pages: their addresses, their settings (title, description, template), their HTML
from the Jinja templates in overrides/finder/ (autoescaped), and a listing's JSON-LD."""
from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import escape

from clinic_site.finder.boards import board_for
from clinic_site.finder.model import Listing, city_name, format_phone
from clinic_site.finder.vocabulary import Vocabulary
from clinic_site.us_states import US_STATE_NAMES

LISTING_URI = "therapists/{id}.md"
# Cities named under each state on the directory page (the busiest); the state's page lists all.
CITIES_PER_STATE = 10
CITY_URI = "therapists/cities/{slug}.md"
STATE_URI = "therapists/states/{code}.md"     # code in lowercase: therapists/states/il/
DIRECTORY_URI = "therapists/index.md"
PAGE_TEMPLATE = "finder-page.html"  # overrides/finder-page.html: listing, city and state pages
# City and state pages: below the health guide in site search, which answers the same words.
SEARCH = {"boost": 0.5}
# Listing pages are left out of the site search index: the index is one file every visitor who
# opens search downloads, and a page per listing made it grow with the directory (652 KB gzip at
# 5,000 listings). A therapist is found by name through their city's page, which lists the names
# (and only the names: overrides/finder/city.html marks the rest data-search-ignore).
LISTING_SEARCH = {"exclude": True}
# Social cards: the plugin draws one image per page, about 35 ms each (268 s for the 7,549
# listing and city pages of 5,000 listings). Listing and city pages draw none and show their
# state page's card instead (scripts/hooks/finder.py writes the tags), so a build draws one card
# per state whatever the number of listings.
NO_CARD = {"cards": False}

def therapists(n: int) -> str:
    """"1 listed therapist", "5 listed therapists": count and noun agree (contract 6)."""
    return f"{n:,} listed therapist{'' if n == 1 else 's'}"


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


def group_by_state(cities: Mapping[str, list[Listing]]) -> dict[str, dict[str, list[Listing]]]:
    """State code -> {city slug -> its listings}: states by name, cities by name within each."""
    states: dict[str, dict[str, list[Listing]]] = {}
    for slug, group in sorted(cities.items(), key=lambda item: (group_city(item[1]).lower(), item[0])):
        states.setdefault(group[0].state, {})[slug] = group
    return dict(sorted(states.items(), key=lambda item: state_name(item[0])))


def group_city(group: Sequence[Listing]) -> str:
    """The one spelling a city's listings are shown under (model.city_name): "Saint Louis" for
    listings that write "St. Louis" and "Saint Louis" alike."""
    return city_name([listing.city for listing in group])


def state_name(code: str) -> str:
    """Illinois for IL (clinic_site.us_states, USPS Publication 28)."""
    return US_STATE_NAMES.get(code, code)


def state_uri(code: str) -> str:
    return STATE_URI.format(code=code.lower())


def city_page_title(city: str, state: str) -> str:
    return f"Medical massage in {city}, {state}"


def state_page_title(code: str) -> str:
    return f"Medical massage in {state_name(code)}"


REPORT_SUBJECT = "Outdated listing: {id}"
REPORT_BODY = "Listing id: {id}\nPage: therapists/{id}/\n\nWhat is out of date, and what is correct now?\n"


def report_link(listing: Listing, report_email: str) -> str:
    """mailto: link of "Report outdated information", with the listing's id filled in."""
    return (f"mailto:{report_email}?subject={_quoted(REPORT_SUBJECT, listing.id)}"
            f"&body={_quoted(REPORT_BODY, listing.id)}")


@functools.cache
def _quoted_parts(template: str) -> list[str]:
    return [quote(part) for part in template.split("{id}")]


def _quoted(template: str, listing_id: str) -> str:
    """quote(template.format(id=listing_id)), with the constant parts quoted once: an id is
    lowercase letters, digits and hyphens (schema.ID_PATTERN), which quote() leaves as they are."""
    return listing_id.join(_quoted_parts(template))


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
            "template": PAGE_TEMPLATE, "search": LISTING_SEARCH, "social": NO_CARD}


def city_meta(group: list[Listing]) -> dict:
    """The page settings of a city's page."""
    first, city = group[0], group_city(group)
    place = f"{city}, {first.state}"
    description = (f"Medical massage and physical therapy in {place}: {therapists(len(group))}, "
                   "their specialties, licenses and contact details.")
    return {"title": str(escape(city_page_title(city, first.state))), "description": str(escape(description)),
            "template": PAGE_TEMPLATE, "search": SEARCH, "social": NO_CARD}


def state_meta(code: str, cities: Mapping[str, list[Listing]]) -> dict:
    """The page settings of a state's page (it keeps its own social card)."""
    n = sum(len(group) for group in cities.values())
    description = (f"Medical massage and physical therapy in {state_name(code)}: {therapists(n)} in "
                   f"{len(cities):,} {'city' if len(cities) == 1 else 'cities'}, by city.")
    return {"title": str(escape(state_page_title(code))), "description": str(escape(description)),
            "template": PAGE_TEMPLATE, "search": SEARCH}


# ---------------------------------------------------------------- HTML
def _render(template: jinja2.Template, **values) -> str:
    """template.render(**values) without the environment's globals: the finder's templates use
    none, and leaving them out (MkDocs and Material add many) saves a third of the time of a
    small template, drawn thousands of times a build. (Jinja's Template.new_context, shared=True.)"""
    return "".join(template.root_render_func(template.new_context(values, shared=True)))


def standalone_environment(overrides: Path) -> jinja2.Environment:
    """A Jinja environment that finds the project's overrides/finder/*.html (`overrides` is the
    theme's custom_dir): the stage renders the finder's pages with it, before any engine runs."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(overrides)))


class Pages:
    """Renders the finder's HTML from overrides/finder/*.html.

    env: a Jinja environment that finds overrides/finder/ (standalone_environment); the templates
    are loaded once, through an overlay of it with autoescaping on, so every value is escaped by Jinja."""

    def __init__(self, env: jinja2.Environment, vocabulary: Vocabulary, boards: Mapping, report_email: str):
        self.env = env.overlay(autoescape=True)
        self.vocabulary, self.boards, self.report_email = vocabulary, boards, report_email
        self._listing = self.env.get_template("finder/listing.html")
        self._city = self.env.get_template("finder/city.html")
        self._state = self.env.get_template("finder/state.html")
        self._directory = self.env.get_template("finder/directory.html")
        self._cities = self.env.get_template("finder/cities.html")
        # A listing's badges depend on five yes/no fields only: each combination is drawn once.
        draw = self.env.get_template("finder/macros.html").module.badges  # type: ignore[attr-defined]
        self.badges = {flags: draw(_Flags(*flags)) for flags in itertools.product((False, True), repeat=5)}
        self._texts: dict[str, ListingText] = {}
        self._prefixes: dict[tuple, str] = {}

    def text(self, listing: Listing) -> ListingText:
        """The listing's values as the pages write them, worked out once per build (a listing
        shows on its page, the directory and its city's page)."""
        found = self._texts.get(listing.id)
        if found is None or found.listing is not listing:
            found = self._texts[listing.id] = ListingText.of(listing, self.vocabulary, self.badges)
        return found

    def listing(self, listing: Listing) -> str:
        """The body of a listing's page."""
        uri = LISTING_URI.format(id=listing.id)
        return _render(self._listing,
            l=listing, t=self.text(listing), v=self.vocabulary, tel=listing.tel, phone=format_phone(listing.phone),
            board=board_for(listing, self.boards, self.vocabulary.physical_therapy_credentials),
            city_href=self._rel(uri, CITY_URI.format(slug=listing.city_key)),
            directory_href=self._rel(uri, DIRECTORY_URI), report_href=report_link(listing, self.report_email))

    def city(self, slug: str, group: list[Listing]) -> str:
        """The body of a city's page: its introduction and its listings by name."""
        first, city = group[0], group_city(group)
        uri = CITY_URI.format(slug=slug)
        labels = self.vocabulary.specialties.labels
        return _render(self._city,
            title=city_page_title(city, first.state), place=f"{city}, {first.state}",
            city=city, state=first.state, n=len(group),
            samples=sum(listing.sample for listing in group),
            accepting=sum(listing.accepting_new_clients for listing in group),
            telehealth=sum(listing.telehealth for listing in group),
            specialties=", ".join(sorted({labels[s] for listing in group for s in listing.specialties})),
            items=self._linked(sorted(group, key=lambda listing: (listing.name.lower(), listing.id)), uri),
            directory_href=rel(uri, DIRECTORY_URI), state_href=rel(uri, state_uri(first.state)),
            state_name=state_name(first.state), therapists=therapists)

    def state(self, code: str, cities: Mapping[str, list[Listing]]) -> str:
        """The body of a state's page: its cities by name, with how many listings each has, and
        under each city its therapists' names linked to their pages, so that every listing is two
        clicks from the directory (directory, state, listing) even for a city the directory leaves out."""
        uri = state_uri(code)
        rows = [(self._rel(uri, CITY_URI.format(slug=slug)), group_city(group), len(group),
                 [(listing.name, self._rel(uri, LISTING_URI.format(id=listing.id)))
                  for listing in sorted(group, key=lambda listing: (listing.name.lower(), listing.id))])
                for slug, group in cities.items()]
        return _render(self._state, title=state_page_title(code), name=state_name(code), code=code, cities=rows,
                       n=sum(row[2] for row in rows), samples=sum(
                           listing.sample for group in cities.values() for listing in group),
                       directory_href=rel(uri, DIRECTORY_URI), therapists=therapists)

    def directory(self, listings: list[Listing], *, zip_base: str, zip_digits: int = 2, page_size: int = 50,
                  from_uri: str = DIRECTORY_URI) -> str:
        """The directory's finder: search controls and an empty result list (finder.js fills it from
        the data files); `listings` only for how many of them are samples: no listing is in it."""
        v = self.vocabulary

        def by_label(labels: Mapping[str, str]) -> list[tuple[str, str]]:
            return sorted(labels.items(), key=lambda item: item[1].lower())
        return _render(self._directory, v=v,
            samples=sum(item.sample for item in listings),
            zip_base=zip_base, zip_digits=int(zip_digits), page_size=int(page_size),
            specialties=by_label(v.specialties.labels), languages=by_label(v.languages.labels),
            payment=by_label(v.payment.labels),
            credentials=by_label({code: f"{code} ({label})" for code, label in v.credentials.labels.items()}))

    def city_links(self, cities: Mapping[str, list[Listing]], from_uri: str = DIRECTORY_URI) -> str:
        """The directory's list without scripts: each state (linked to its page, with its count)
        and under it its cities (linked to their pages, with their counts), by name: at most
        CITIES_PER_STATE of them, those with the most listings, then a link to the state's page
        for all of them. So the list's size depends on the number of states, not of listings or
        cities (the directory's first load stays within the benchmark's 100 KB gzip budget at
        20,000 listings in about 3,800 cities), and every listing is still two clicks away
        (directory, city or state page, listing)."""
        states = []
        for code, in_state in group_by_state(cities).items():
            rows = [(self._rel(from_uri, CITY_URI.format(slug=slug)), group_city(group), len(group))
                    for slug, group in in_state.items()]
            shown = set(sorted(range(len(rows)), key=lambda i: (-rows[i][2], rows[i][1].lower()))[:CITIES_PER_STATE])
            states.append((self._rel(from_uri, state_uri(code)), code, state_name(code),
                           sum(count for _, _, count in rows), [row for i, row in enumerate(rows) if i in shown],
                           len(rows)))
        return _render(self._cities, states=states, therapists=therapists)

    def _linked(self, listings: Iterable[Listing], from_uri: str) -> list[tuple[Listing, str, ListingText]]:
        """(listing, link from the page `from_uri` to its page, its text) for the entries of a list."""
        return [(listing, self._rel(from_uri, LISTING_URI.format(id=listing.id)), self.text(listing))
                for listing in listings]

    def _rel(self, from_uri: str, to_uri: str) -> str:
        """rel(from_uri, to_uri), worked out once per folder of from_uri and of to_uri: the finder's
        pages are `<folder>/<name>.md` with directory URLs, so the link is the way from one
        folder to the other followed by the target's name."""
        if from_uri == to_uri:
            return "./"
        from_folder, _, from_name = from_uri.rpartition("/")
        to_folder, _, name = to_uri.rpartition("/")
        key = (from_folder, to_folder, name == "index.md", from_name == "index.md")
        prefix = self._prefixes.get(key)
        if prefix is None:   # from a page named like from_uri's to one in to_folder named "x"
            target = posixpath.join(to_folder, "index.md" if key[2] else "x.md")
            probe = rel(from_uri if key[3] else posixpath.join(from_folder, "p.md"), target)
            prefix = self._prefixes[key] = probe if key[2] else probe[:-2]
        return prefix if key[2] else f"{prefix}{name[:-3]}/"


@dataclasses.dataclass(frozen=True)
class _Flags:
    """The fields the badges show, for drawing each combination once."""

    sample: bool
    accepting_new_clients: bool
    telehealth: bool
    home_visits: bool
    at_clinic: bool


@dataclasses.dataclass(frozen=True)
class ListingText:
    """A listing's values as text for the templates (they escape it): labels instead of codes,
    dates written out, and its badges' HTML."""

    listing: Listing
    credentials: str        # "LMT, CLT"
    phone: str              # "(512) 555-0101"
    specialties: str        # labels, "lymphatic drainage, sports injuries"
    payment: str
    languages: str
    license_verified: tuple[str, str]   # (YYYY-MM-DD, "November 8, 2026")
    last_updated: tuple[str, str]
    badges: str             # HTML drawn by the badges macro (Markup)

    @classmethod
    def of(cls, listing: Listing, vocabulary: Vocabulary, badges: Mapping) -> ListingText:
        return cls(
            listing, ", ".join(listing.credentials), format_phone(listing.phone),
            vocabulary.specialties.join(listing.specialties),
            vocabulary.payment.join(listing.payment), vocabulary.languages.join(listing.languages),
            _day(listing.license_verified), _day(listing.last_updated),
            badges[(listing.sample, listing.accepting_new_clients, listing.telehealth, listing.home_visits,
                    listing.at_clinic)])


def _day(day) -> tuple[str, str]:
    return day.isoformat(), day.strftime("%B %-d, %Y")


# ---------------------------------------------------------------- the clinic's own therapists
@dataclasses.dataclass(frozen=True)
class ClinicTherapist:
    """One of the clinic's own therapists (a listing with `at_clinic: true`), as the Jinja global
    `clinic_therapists` gives it to the home page (contract 4): text unescaped (templates escape it)."""

    name: str
    credentials: list[str]       # codes, like ["LMT", "CLT"]
    url: str                     # site-relative URL of the listing page, like "therapists/jane-doe/"
    accepting_new_clients: bool


def clinic_therapists(listings: Iterable[Listing]) -> list[ClinicTherapist]:
    """The listings marked at_clinic, in the order given (the finder's: by name)."""
    return [ClinicTherapist(listing.name, list(listing.credentials), page_url(LISTING_URI.format(id=listing.id)),
                            listing.accepting_new_clients)
            for listing in listings if listing.at_clinic]


# ---------------------------------------------------------------- structured data
def listing_jsonld(listing: Listing, url: str, vocabulary: Vocabulary) -> str:
    """schema.org JSON-LD of a listing, safe to place inside <script type="application/ld+json">: a
    Physiotherapy (medicalSpecialty PhysicalTherapy) where a physical therapist or assistant
    practises (a credential the vocabulary lists under physical_therapy_credentials), else a
    MedicalBusiness (massage therapists: schema.org has no type of their own)."""
    physical_therapy = bool(set(listing.credentials) & vocabulary.physical_therapy_credentials)
    data = {
        "@context": "https://schema.org",
        "@type": "Physiotherapy" if physical_therapy else "MedicalBusiness",
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
        **({"medicalSpecialty": "PhysicalTherapy"} if physical_therapy else {}),
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
