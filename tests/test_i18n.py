"""Every message in the code has a Kyrgyz and a Russian translation with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from pbtools.i18n import LOCALE_DIR, Msg, N_, catalog, translator

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "Msg": None}


def code_messages() -> dict[str, str]:
    found: dict[str, str] = {}
    for folder in ("pbtools", "widgets"):
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
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
    missing = [f"{where}: {msgid!r}" for msgid, where in MESSAGES.items() if not translated.get(msgid)]
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
