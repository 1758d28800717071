"""The Welsh catalogue: every marked string translated, placeholders kept, and it compiles.

The marked strings are found afresh on every run, so a new `_("...")` without a Welsh
translation fails here rather than showing English on a Welsh page.
"""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from marketplace import i18n

ROOT = Path(__file__).resolve().parents[2]
CY_PO = ROOT / "marketplace" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"

# Every template, read the way the app reads it: Jinja with the `do` extension
# (marketplace/templating.py adds it; without it Jinja's extractor silently skips
# any template that uses {% do %}).
TEMPLATE_MAPPING = """\
[jinja2: **.html]
extensions = jinja2.ext.do
[jinja2: **.txt]
extensions = jinja2.ext.do
"""

# A %-format placeholder (named or not) or a literal %%.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def _forms(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple):
        return message.string
    return (message.string,)


def _placeholders(text: str) -> set[str]:
    found = set(PLACEHOLDER.findall(text))
    if "%" in PLACEHOLDER.sub("", text):
        found.add("<a lone %>")
    return found


@pytest.fixture(scope="module")
def shipped_extraction(tmp_path_factory) -> Catalog:
    """What `flask translate extract` finds: marketplace/i18n.py's own extract(), with
    its babel.cfg and arguments, writing to a temporary file instead of messages.pot."""
    pot = tmp_path_factory.mktemp("extract") / "messages.pot"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(i18n, "POT", pot)
        i18n.extract()
    return _read(pot)


@pytest.fixture(scope="module")
def template_extraction(tmp_path_factory) -> Catalog:
    """Every string marked in templates/, whatever babel.cfg's patterns match."""
    folder = tmp_path_factory.mktemp("templates")
    mapping = folder / "templates.cfg"
    mapping.write_text(TEMPLATE_MAPPING)
    pot = folder / "templates.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(mapping),
         "-k", "_l", "-o", str(pot), "--no-location", "--sort-output",
         str(ROOT / "templates")],
        check=True, capture_output=True,
    )
    return _read(pot)


@pytest.fixture(scope="module")
def marked(shipped_extraction, template_extraction) -> dict[str, Message]:
    strings = {_key(m): m for m in template_extraction if m.id}
    strings.update({_key(m): m for m in shipped_extraction if m.id})
    return strings


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    return _read(CY_PO)


def test_the_extraction_finds_strings_from_code_and_templates(marked):
    # Guards the guard: an extraction that found nothing would pass every test below.
    assert "Sign in" in marked  # marketplace/accounts/forms.py
    assert "per hour" in marked  # catalogue/models.py
    assert "Skip to main content" in marked  # templates/base.html
    assert "Show password" in marked  # templates/macros/fields.html, which uses {% do %}
    assert ("%(num)d person", "%(num)d people") in {m.id for m in marked.values()}


def test_every_marked_string_has_a_welsh_translation(marked, welsh):
    missing = []
    for key, english in sorted(marked.items()):
        message = welsh.get(key)
        if message is None or message.fuzzy or not all(_forms(message)):
            missing.append(key)
        elif isinstance(english.id, tuple) and (
            not isinstance(message.id, tuple) or len(_forms(message)) != welsh.num_plurals
        ):
            missing.append(f"{key} (needs all {welsh.num_plurals} Welsh plural forms)")
    assert not missing, (
        f"{len(missing)} marked string(s) have no Welsh translation in {CY_PO.name}; run "
        "`flask translate update` and translate:\n" + "\n".join(f"  {m!r}" for m in missing)
    )


def test_no_welsh_translation_is_marked_fuzzy(welsh):
    fuzzy = [_key(m) for m in welsh if m.id and m.fuzzy]
    assert not fuzzy, "fuzzy translations are not used at run time:\n" + "\n".join(
        f"  {m!r}" for m in fuzzy)


def test_welsh_keeps_the_placeholders_of_the_english(welsh):
    wrong = []
    for message in welsh:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            expected = _placeholders(message.id[0]) | _placeholders(message.id[1])
        else:
            expected = _placeholders(message.id)
        for form in _forms(message):
            if form and _placeholders(form) != expected:
                wrong.append(f"  {_key(message)!r}: expected {sorted(expected)}, "
                             f"Welsh has {sorted(_placeholders(form))} in {form!r}")
    assert not wrong, "placeholders differ between English and Welsh:\n" + "\n".join(wrong)


def test_babel_finds_no_errors_in_the_welsh_catalogue(welsh):
    errors = [f"  {_key(message)!r}: {'; '.join(map(str, problems))}"
              for message, problems in welsh.check()]
    assert not errors, "\n".join(errors)


def test_the_catalogue_uses_babels_welsh_plural_rule(welsh):
    rule = get_plural("cy")
    assert welsh.locale_identifier == "cy"
    assert welsh.num_plurals == rule.num_plurals
    assert welsh.plural_expr == rule.plural_expr


def test_the_catalogue_keeps_no_obsolete_entries(welsh):
    assert not welsh.obsolete, (
        "obsolete (#~) entries in the Welsh catalogue: " + ", ".join(map(repr, welsh.obsolete)))


def test_the_welsh_catalogue_compiles_and_serves_every_translation(welsh):
    compiled = BytesIO()
    write_mo(compiled, welsh)
    assert compiled.getvalue(), "write_mo wrote nothing"
    compiled.seek(0)
    translations = gettext.GNUTranslations(compiled)
    plural = get_plural("cy").plural_expr
    assert translations.plural(1) != translations.plural(5), plural
    for message in welsh:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n in range(12):
                assert translations.ngettext(*message.id, n) == message.string[
                    translations.plural(n)], (message.id, n)
        else:
            assert translations.gettext(message.id) == message.string, message.id


def test_flask_translate_extract_finds_every_string_marked_in_templates(
    shipped_extraction, template_extraction,
):
    found = {_key(m) for m in shipped_extraction if m.id}
    missed = sorted(_key(m) for m in template_extraction if m.id and _key(m) not in found)
    assert not missed, (
        f"`flask translate extract` misses {len(missed)} template string(s), e.g. "
        + ", ".join(map(repr, missed[:5])))
