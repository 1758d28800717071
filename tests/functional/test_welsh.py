"""Choosing Cymraeg gives Welsh pages: the words come from the Welsh catalogue, and the
English they replace is gone."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CY_PO = ROOT / "marketplace" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"

# Attributes whose values people hear or see (and `value`, on input buttons).
SPOKEN_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder"}
INPUT_BUTTONS = {"submit", "button", "reset"}

# For each page, a few strings that must be shown in Welsh. A tuple is a msgid and the
# names of the council's settings its placeholders are filled from.
PAGES = {
    "/": [
        "Find care and support that works for you", "You can:", "Start now",
        "Buying for someone else?", "Need help?", "Skip to main content", "Sign in",
        "Create an account", "Accessibility statement", "Privacy notice", "Cookies",
        "Contact us", "Menu", "Language",
        ("Run by %(council)s.", {"council": "COUNCIL_NAME"}),
        ("Call %(phone)s, Monday to Friday, 9am to 5pm, or email %(email)s.",
         {"phone": "CONTACT_PHONE", "email": "CONTACT_EMAIL"}),
    ],
    "/sign-in": [
        "Sign in", "Email address", "Password", "Show", "Show password",
        "I have forgotten my password", "New to the marketplace?",
        "If the council funds your support, your care manager will set up your account and "
        "tell you how to sign in.",
    ],
    "/accessibility": [
        "Accessibility statement", "How accessible this website is",
        "Feedback and contact information", "Enforcement procedure",
        "zoom in up to 400%% without the text spilling off the screen",
        ("%(council)s runs this website. We want as many people as possible to be able to use "
         "it. You should be able to:", {"council": "COUNCIL_NAME"}),
    ],
    "/privacy": [
        "Privacy notice", "What we hold and why", "Who can see your information",
        "Your rights", "council officers and finance staff who manage your budget",
    ],
    "/cookies": [
        "Cookies", "Essential cookies", "Name", "Purpose", "Expires",
        "After 8 hours, or when you sign out",
    ],
    "/contact": [
        "Contact us", "Telephone", "Email", "Monday to Friday, 9am to 5pm",
        "If you are worried about someone's safety",
    ],
    "/no-such-page": [
        "Page not found", "If you typed the web address, check it is correct.",
        "If you pasted the web address, check you copied the entire address.",
        "Go to the home page",
    ],
}


class _Text(HTMLParser):
    """What a person reads or hears: text outside <script>/<style>, and spoken attributes.
    Text inside an element marked lang="en" (the language switcher's "English") is
    English on purpose and is left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0
        self._english: list[str] = []

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("lang") == "en":
            self._english.append(tag)
            self._skip += 1
            return
        if tag in ("script", "style"):
            self._skip += 1
        self.pieces.extend(value for name, value in attrs
                           if name in SPOKEN_ATTRIBUTES and value)
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") in INPUT_BUTTONS and attributes.get("value"):
            self.pieces.append(attributes["value"])

    def handle_endtag(self, tag):
        if self._english and self._english[-1] == tag:
            self._english.pop()
            self._skip -= 1
        elif tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.pieces.append(data)


def _readable(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return [" ".join(piece.split()) for piece in parser.pieces]


@pytest.fixture(scope="module")
def marked_english() -> set[str]:
    """Every string marked for translation in the code and templates, found afresh (not
    read from the catalogue, so a string the catalogue lacks is still recognised)."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    jinja = {"extensions": "jinja2.ext.do"}
    found: set[str] = set()
    for folder, method_map, options_map in [
        ("marketplace", [("**.py", "python")], {}),
        ("catalogue", [("**.py", "python")], {}),
        ("templates", [("**.html", "jinja2"), ("**.txt", "jinja2")],
         {"**.html": jinja, "**.txt": jinja}),
    ]:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), method_map, options_map, keywords=keywords,
        ):
            found.update([message] if isinstance(message, str) else message)
    return found


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with CY_PO.open("rb") as f:
        return read_po(f)


@pytest.fixture()
def in_welsh(client):
    response = client.get("/language/cy?next=/")
    assert response.status_code == 302
    return client


def _both(catalogue: Catalog, app, entry) -> tuple[str, str]:
    """(English, Welsh) for a msgid, with placeholders filled as the page fills them."""
    msgid, settings = entry if isinstance(entry, tuple) else (entry, {})
    message = catalogue.get(msgid)
    assert message is not None and message.string, f"no Welsh for {msgid!r}"
    english, welsh = message.id, message.string
    if message.python_format:  # templates always %-format, so %% becomes %
        values = {name: app.config[setting] for name, setting in settings.items()}
        english, welsh = english % values, welsh % values
    assert welsh != english, f"the Welsh for {msgid!r} is the English"
    return english, welsh


def test_choosing_welsh_sets_the_page_language_and_keeps_the_switcher_names(client):
    response = client.get("/language/cy?next=/accessibility")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/accessibility")

    page = client.get("/accessibility").get_data(as_text=True)
    assert '<html lang="cy"' in page
    # The other language is offered in its own name, marked as English.
    assert 'lang="en" hreflang="en">English</a>' in page
    assert '<span aria-current="true">Cymraeg</span>' in page


def test_the_site_is_in_english_until_welsh_is_chosen(client):
    page = client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Find care and support that works for you" in page


@pytest.mark.parametrize("path", list(PAGES))
def test_page_is_shown_in_welsh_with_no_english_left(in_welsh, app, catalogue, path):
    response = in_welsh.get(path)
    assert response.status_code == (404 if path == "/no-such-page" else 200)
    page = response.get_data(as_text=True)
    assert '<html lang="cy"' in page
    text = "\n".join(_readable(page))

    for entry in PAGES[path]:
        english, welsh = _both(catalogue, app, entry)
        assert welsh in text, f"{path}: the Welsh {welsh!r} for {english!r} is not shown"
        assert english not in text, f"{path}: {english!r} is still shown in English"


@pytest.mark.parametrize("path", list(PAGES))
def test_no_words_on_the_welsh_page_are_an_untranslated_english_string(
    in_welsh, catalogue, marked_english, path,
):
    """Any piece of the page that is exactly a string marked for translation was left in
    English, unless its Welsh is the same word (like "Staff")."""
    same_in_welsh = {message.id for message in catalogue
                     if message.id and message.string == message.id}
    english = marked_english - same_in_welsh
    page = in_welsh.get(path).get_data(as_text=True)
    left = sorted({piece for piece in _readable(page) if piece in english})
    assert not left, f"{path} still shows English: {left}"
