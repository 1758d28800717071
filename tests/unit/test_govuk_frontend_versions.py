"""The Jinja macros must produce the markup the installed GOV.UK Frontend expects.

GOV.UK Frontend ships, for every component, fixtures: macro options and the HTML
its own Nunjucks templates render from them. Rendering the same options through
govuk-frontend-jinja and comparing proves the two packages' versions match (a
mismatch shows up as different markup, which the CSS and JavaScript would not fit).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"

# The components this project renders through the macros.
USED = [
    "back-link", "button", "character-count", "checkboxes", "date-input", "error-message",
    "error-summary", "fieldset", "hint", "input", "inset-text", "label",
    "notification-banner", "pagination", "password-input", "radios", "select",
    "service-navigation", "skip-link", "summary-list", "table", "tag", "textarea",
    "warning-text",
]


def _macro_name(component: str) -> str:
    return "govuk" + "".join(part.capitalize() for part in component.split("-"))


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        normalised = []
        for name, value in attrs:
            value = " ".join((value or "").split())
            if name == "class":
                value = " ".join(sorted(value.split()))
            normalised.append((name, value))
        self.tokens.append(("start", tag, tuple(sorted(normalised))))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.tokens.append(("text", text))


def tokens(html: str) -> list[tuple]:
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    # Adjacent text runs split by comments or whitespace count as one.
    merged: list[tuple] = []
    for token in parser.tokens:
        if token[0] == "text" and merged and merged[-1][0] == "text":
            merged[-1] = ("text", merged[-1][1] + " " + token[1])
        else:
            merged.append(token)
    return merged


@pytest.fixture(scope="module")
def env() -> Environment:
    return Environment(
        loader=ChoiceLoader([PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]),
        autoescape=True,
        extensions=["jinja2.ext.do"],
    )


def _cases():
    cases = []
    for component in USED:
        data = json.loads((COMPONENTS / component / "fixtures.json").read_text())
        for fixture in data["fixtures"]:
            cases.append(pytest.param(component, fixture,
                                      id=f"{component}:{fixture['name']}"))
    return cases


def test_the_installed_gov_uk_frontend_is_the_pinned_version():
    package = json.loads((ROOT / "node_modules" / "govuk-frontend" / "package.json").read_text())
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]["govuk-frontend"]
    assert package["version"] == pinned
    assert re.match(r"6\.", package["version"]), "govuk-frontend-jinja 4.x targets v6"


@pytest.mark.parametrize(("component", "fixture"), _cases())
def test_macro_renders_the_markup_gov_uk_frontend_expects(env, component, fixture):
    macro = getattr(env.get_template(
        f"govuk_frontend_jinja/components/{component}/macro.html").module,
        _macro_name(component))
    rendered = str(macro(fixture["options"]))
    assert tokens(rendered) == tokens(fixture["html"])
