"""Every message in the code has a Kyrgyz and a Russian translation with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

import pbtools.i18n
from pbtools.i18n import LOCALE_DIR, Msg, N_, NMsg, catalog, plural_catalog, plural_translator, translator

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "Msg": None, "_n": (1, 2), "NMsg": (1, 2), "ngettext": (2, 3)}


def code_messages() -> dict:
    """msgid -> where it is; a message with plural forms has the key (singular, plural)."""
    found: dict = {}
    for folder in ("pbtools", "widgets"):
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if message and (isinstance(message, str) or all(isinstance(m, str) and m for m in message)):
                found.setdefault(message, f"{folder}/{filename}")
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


MESSAGES = code_messages()


def test_messages_are_found():
    # the extraction itself must work, or the translation checks below would pass on nothing
    assert len(MESSAGES) > 20


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_message_is_translated(lang):
    translated = catalog(lang)
    missing = [f"{where}: {msgid!r}" for msgid, where in MESSAGES.items() if isinstance(msgid, str) and not translated.get(msgid)]
    assert not missing, f"{len(missing)} messages without a {lang} translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_translations_keep_placeholders(lang):
    wrong = [
        f"{msgid!r} -> {text!r}"
        for msgid, text in catalog(lang).items()
        if placeholders(msgid) != placeholders(text)
    ]
    assert not wrong, "\n".join(wrong)


def test_kyrgyz_catalog_uses_kyrgyz_letters():
    # Official Kyrgyz spelling uses ө ү ң; a catalog without any of them was probably written in Russian.
    text = " ".join(catalog("ky").values())
    assert re.search("[өүңӨҮҢ]", text)


def test_msg_renders_in_each_language():
    msg = Msg(N_("Public budget hearings"))
    assert msg.render("en") == "Public budget hearings"
    assert msg.render("ru") != msg.render("en") and msg.render("ky") != msg.render("ru")
    assert translator("ky")("Public budget hearings") == msg.render("ky")


def test_po_files_are_per_area():
    for lang in ("ky", "ru"):
        files = sorted(p.name for p in (LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))
        assert "ui.po" in files


def test_no_translation_calls_inside_f_strings():
    # Babel cannot see a message inside an f-string, so it would escape the checks above and stay untranslated.
    import io
    import tokenize

    found = []
    for folder in ("pbtools", "widgets"):
        for path in (ROOT / folder).rglob("*.py"):
            for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
                if token.type == tokenize.STRING and token.string[:2].lower() in ("f'", 'f"', "rf", "fr") \
                        and re.search(r"(?<![\w.])_\(\s*['\"]|\._\(\s*['\"]|gettext\(", token.string):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not found, "translate outside the f-string:\n" + "\n".join(found)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_no_message_is_translated_twice(lang):
    """Catalogs merge by union (.gitattributes): two changes adding the same msgid must not leave it twice in a file,
    nor two different translations in two areas (which one wins would depend on the file order)."""
    seen: dict[str, tuple[str, str]] = {}
    twice = []
    for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        text = po.read_text(encoding="utf-8")
        in_file = set()
        for msgid, msgstr in re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE):
            if msgid in in_file:
                twice.append(f"{msgid!r} twice in {po.name}")
            in_file.add(msgid)
            where, before = seen.setdefault(msgid, (po.name, msgstr))
            if before != msgstr:
                twice.append(f"{msgid!r}: {before!r} in {where}, {msgstr!r} in {po.name}")
    assert not twice, "\n".join(twice)


PLURALS = {msgid: where for msgid, where in MESSAGES.items() if isinstance(msgid, tuple)}


def test_plural_messages_are_found():
    # the example in pbtools/counting/count.py, so the plural checks below check something
    assert ("{area}: budget {budget}, {n} option selected for {total}.",
            "{area}: budget {budget}, {n} options selected for {total}.") in PLURALS


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_plural_message_has_every_form(lang):
    from babel.messages.plurals import get_plural

    forms_needed = get_plural(lang).num_plurals  # CLDR: ru 3 (one, few, many), ky 2 (one, other)
    plurals = plural_catalog(lang).plurals
    wrong = []
    for (singular, plural), where in PLURALS.items():
        forms = plurals.get(singular)
        if forms is None or len(forms) != forms_needed or not all(forms):
            wrong.append(f"{where}: {singular!r} has {forms!r}, needs {forms_needed} forms")
        elif any(placeholders(f) != placeholders(singular) | placeholders(plural) for f in forms):
            wrong.append(f"{where}: {singular!r}: placeholders differ in {forms!r}")
    assert not wrong, f"{lang} plural forms:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_plural_forms_header_follows_cldr(lang):
    """Every catalog states its Plural-Forms, and the rule picks the form CLDR names for each number."""
    from babel import Locale
    from babel.messages.plurals import get_plural

    for po in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        header = po.read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert f'"Plural-Forms: nplurals={get_plural(lang).num_plurals};' in header, po.name
    order = {"ru": ["one", "few", "many"], "ky": ["one", "other"]}[lang]  # the msgstr[i] order of the catalogs
    rule = plural_catalog(lang).plural_index
    for n in (0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1000):
        assert rule(n) == order.index(Locale.parse(lang).plural_form(n)), (lang, n)


def test_plural_translation_picks_the_form_for_the_number():
    _n = plural_translator("ru")
    one, many = "{area}: budget {budget}, {n} option selected for {total}.", "{area}: budget {budget}, {n} options selected for {total}."
    forms = plural_catalog("ru").plurals[one]
    assert _n(one, many, 21, area="A", budget=1, total=2) == forms[0].format(n=21, area="A", budget=1, total=2)
    assert _n(one, many, 3, area="A", budget=1, total=2) == forms[1].format(n=3, area="A", budget=1, total=2)
    assert _n(one, many, 11, area="A", budget=1, total=2) == forms[2].format(n=11, area="A", budget=1, total=2)
    assert len(set(forms)) == 3
    en = plural_translator("en")
    assert en(one, many, 1, area="A", budget=1, total=2) == "A: budget 1, 1 option selected for 2."
    assert en(one, many, 2, area="A", budget=1, total=2) == "A: budget 1, 2 options selected for 2."
    msg = NMsg(one, many, 5, area="A", budget=1, total=2)
    assert msg.render("ru") == _n(one, many, 5, area="A", budget=1, total=2)
    assert msg.render("en") == "A: budget 1, 5 options selected for 2."


def test_compiled_catalogs_read_as_the_po_files(tmp_path, monkeypatch):
    """An installed package reads .mo files compiled at build time (setup.py) with Python's gettext: they must give
    the same messages and plural forms as the .po files a checkout reads."""
    import shutil

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from_po = {lang: plural_catalog(lang) for lang in ("ky", "ru")}
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    for po in (tmp_path / "locale").glob("*/LC_MESSAGES/*.po"):
        with po.open("rb") as f:
            parsed = read_po(f, locale=po.parts[-3])
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, parsed)
        po.unlink()  # only the .mo files: what is read below can only come from them
    monkeypatch.setattr(pbtools.i18n, "LOCALE_DIR", tmp_path / "locale")
    pbtools.i18n._load.cache_clear()
    try:
        for lang in ("ky", "ru"):
            from_mo = plural_catalog(lang)
            assert len(from_mo.messages) > 100
            assert from_mo.messages == from_po[lang].messages
            assert from_mo.plurals == from_po[lang].plurals
            assert [from_mo.plural_index(n) for n in range(200)] == [from_po[lang].plural_index(n) for n in range(200)]
        # A .po without its .mo (a checkout with a stale partial build): the .po files are read, not the .mo files.
        shutil.copy(LOCALE_DIR / "ru" / "LC_MESSAGES" / "ui.po", tmp_path / "locale" / "ru" / "LC_MESSAGES" / "ui.po")
        (tmp_path / "locale" / "ru" / "LC_MESSAGES" / "ui.mo").unlink()
        pbtools.i18n._load.cache_clear()
        ui_only = plural_catalog("ru").messages
        assert translator("ru")("Public budget hearings") != "Public budget hearings"
        assert 0 < len(ui_only) < len(from_po["ru"].messages)
    finally:
        pbtools.i18n._load.cache_clear()
