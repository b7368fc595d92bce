"""What the page templates read: plain frozen dataclasses, filled by render/, publish/ and personal/.

Jinja reads their attributes as ``page.title``; nothing here is a template or knows one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..source.clinic import ClinicProfile
from ..source.countries import Country
from ..source.metadata import LeafletMeta
from .links import QrCode
from .treatment_context import AlertCardText, TreatmentView


@dataclass(frozen=True, kw_only=True)
class SitePage:
    """What base.html needs of every page: language, title, where the assets and the home page are."""

    lang: str
    dir: str  # "ltr" | "rtl"
    title: str
    description: str
    classes: str = ""  # on <html>
    asset_root: str = ""  # "../../" from a leaflet page
    stylesheet: str = "leaflet.css"  # in assets/; the site's is fingerprinted (leaflet.<hash>.css)
    home_href: str = ""  # the site's home page; web pages only
    canonical: str = ""


@dataclass(frozen=True, kw_only=True)
class LeafletPage(SitePage):
    """A leaflet page in one language: the running footer, the paper and what the page shows."""

    footer_text: str  # under the title: version, next review and "Draft"
    footer_version: str  # the running footer's two lines: each fits one line in every language
    footer_review: str
    page_counter: Markup  # CSS content of the running page number
    font_family: Markup  # CSS font-family list for @page
    variant: str = "standard"  # "standard" | "large-print"
    paper: str = "a4"  # "a4" | "letter" | "a5"
    only: str = ""  # "treatment": only the treatment sheet and the alert card
    english_fallback: bool = False  # some parts are shown in English
    draft_translation: bool = False  # not yet checked by a medical translator


@dataclass(frozen=True)
class ReviewFooter:
    """The review footer: dates in the page language, the version, sources and who to tell."""

    meta: LeafletMeta
    last_reviewed: str
    next_review: str
    draft_translation: bool
    feedback_contact: str


@dataclass(frozen=True)
class PrintRecord:
    """What matches a printed treatment sheet to its record."""

    printed_on: str  # a date in the leaflet's language
    ref: str = ""
    prescriber: str = ""


@dataclass(frozen=True)
class Download:
    href: str
    variant: str
    size: str
    kind: str = "pdf"  # "pdf", "braille" (a BRF file) or "audio" (an MP3 file); "Other formats" lists them by kind
    duration: str = ""  # audio only: "8 minutes", in the page language


@dataclass(frozen=True)
class LanguageLink:
    """The same leaflet in another language, for the switcher and <link rel="alternate">."""

    tag: str
    endonym: str
    href: str  # relative to the page
    url: str  # absolute, when a base URL is configured
    dir: str = "ltr"


@dataclass(frozen=True)
class ListedLanguage:
    """One language of a leaflet on the home page and the leaflet's list of languages."""

    tag: str
    endonym: str
    title: str
    dir: str


@dataclass(frozen=True)
class LeafletListing:
    """A leaflet on the home page (in English), with each of its languages."""

    id: str
    title: str
    summary: str
    languages: tuple[ListedLanguage, ...]


@dataclass(frozen=True)
class PageOptions:
    """How one page is rendered: where assets are and which extras it shows."""

    asset_root: str = "../../"
    variant: str = "standard"  # "standard" | "large-print"
    paper: str = "a4"  # "a4" | "letter" | "a5": the PDF's page size
    only: str = ""  # "treatment": only the treatment sheet and the alert card (personalised PDFs)
    print_record: PrintRecord | None = None  # personalised PDFs only
    clinic: ClinicProfile | None = None
    treatment: TreatmentView | None = None
    alert_cards: Sequence[AlertCardText] = ()
    personal_name: str = ""  # the name for the alert card, on personalised copies only
    emergency: str = ""  # the number to call in an emergency where no clinic is given
    fonts: tuple[str, ...] = ("Noto Sans",)
    qr: QrCode | None = None  # on printed leaflets, with a base URL
    downloads: tuple[Download, ...] = ()
    languages: tuple[LanguageLink, ...] = ()  # for the switcher
    alternates: tuple[LanguageLink, ...] = ()  # every language, for <link rel="alternate">
    canonical: str = ""
    stylesheet: str = "leaflet.css"  # in assets/; the site's is fingerprinted (leaflet.<hash>.css)
    home_href: str = ""  # the site's home page; web pages only
    help_country: Country | None = None  # where to get help, shown instead of a blank contact card
    web: bool = False  # a web page (printed from a browser, its links show their addresses), not a PDF's HTML
    personalise_href: str = ""  # the page where clinic staff print a personal copy (web pages)
