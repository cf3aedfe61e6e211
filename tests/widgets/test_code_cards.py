"""Code cards printed from the console: the QR opens the hall's voting page with the code filled in, and the card
prints that address, so a phone can scan it (or type it) and vote."""

from __future__ import annotations

import base64
import csv
import html
import io
import re

import pytest
import segno
from pypdf import PdfReader

from pbtools.hearings.cards import printed_address, qr_template_for, write_cards
from pbtools.i18n import translator
from pbtools.phones.reach import HERE_ONLY, LAPTOP_OWN_ADDRESS
from tests.widgets.test_console import app, open_tab, ws  # noqa: F401  (fixtures: a console with an open hearing)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rectangles(data: bytes) -> int:
    """How many filled rectangles the first page draws: the cutting line and one per run of dark QR modules."""
    return len(re.findall(rb"\sre\b", PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()))


def runs(text: str) -> int:
    """Horizontal runs of dark modules in the QR of ``text``, as cards.py draws them."""
    rows = ["".join("1" if m else "0" for m in row) for row in segno.make_qr(text, error="m").matrix_iter(border=2)]
    return sum(len(re.findall("1+", row)) for row in rows)


def test_the_qr_holds_the_address_with_the_code_and_the_card_prints_the_address(tmp_path):
    address = "http://192.168.43.10:8866/vote/2026-12-01-ab12"
    template = qr_template_for(address)
    assert template.format(code="A229-J4CG-CR") == f"{address}#code=A229-J4CG-CR"
    assert printed_address(template) == address
    assert qr_template_for("") == "{code}" and printed_address("{code}") == ""
    pdf = write_cards(["A229-J4CG-CR"], tmp_path / "cards.pdf", lang="ru", qr_template=template).read_bytes()
    text = pdf_text(pdf)
    assert address in text and "A229-J4CG-CR" in text and "Отсканируйте QR-код" in text
    # what the QR encodes: the rectangles drawn are those of the address with the code, not of the code alone
    assert rectangles(pdf) == 1 + runs(f"{address}#code=A229-J4CG-CR") != 1 + runs("A229-J4CG-CR")
    alone = write_cards(["A229-J4CG-CR"], tmp_path / "alone.pdf", lang="ru").read_bytes()
    assert rectangles(alone) == 1 + runs("A229-J4CG-CR") and "http" not in pdf_text(alone)


def issued(reg) -> tuple[list[str], bytes]:
    reg.print_cards.click()
    assert "pb-ok" in reg.cards_message.value, reg.cards_message.value
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', reg.cards_links.value))
    table = next(base64.b64decode(v) for k, v in links.items() if k.endswith(".csv")).decode("utf-8")
    return [row["code"] for row in csv.DictReader(io.StringIO(table))], next(
        base64.b64decode(v) for k, v in links.items() if k.endswith(".pdf"))


def test_cards_printed_in_registration_carry_the_hall_address_of_the_phone_tab(app, monkeypatch):
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://192.168.43.10:8866")
    reg = open_tab(app, "registration")
    reg.form.submit()
    codes, pdf = issued(reg)
    url = f"http://192.168.43.10:8866/vote/{app.store.id}"
    assert url in pdf_text(pdf)
    assert rectangles(pdf) == 1 + runs(f"{url}#code={codes[0]}")
    # the facilitator corrected the address in the phone tab: the next cards follow it
    phones = open_tab(app, "phones")
    phones.address.value = "http://10.0.0.5:8866"
    assert "pbtools" not in phones.cards.value and "<pre>" not in phones.cards.value  # no command line for the hall
    reg = open_tab(app, "registration")
    reg.form.submit()
    codes, pdf = issued(reg)
    assert f"http://10.0.0.5:8866/vote/{app.store.id}" in pdf_text(pdf) and "192.168" not in pdf_text(pdf)


def test_without_a_hall_address_the_cards_say_so(app, monkeypatch):
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "")
    monkeypatch.setattr("pbtools.phones.reach.hall_address", lambda: None)  # this machine on no hall network
    reg = open_tab(app, "registration")
    reg.form.submit()
    codes, pdf = issued(reg)
    assert "http" not in pdf_text(pdf) and rectangles(pdf) == 1 + runs(codes[0])
    assert "Залдын дареги белгисиз" in reg.cards_message.value


@pytest.mark.parametrize("lang, words", [("ky", "эч бир телефон"), ("ru", "ни один телефон"), ("en", "no phone can open")])
def test_cards_for_a_server_on_this_laptop_only_are_warned_about_before_printing(app, monkeypatch, lang, words):
    # `pbtools serve` on 127.0.0.1 (the default of `make run`): the address it gives is this laptop's own
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "127.0.0.1")
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://127.0.0.1:8866")
    app.lang_switch.value = lang
    reg = open_tab(app, "registration")
    assert "pb-cards-unreachable" in reg.cards_warning.value and words in reg.cards_warning.value
    assert f"http://127.0.0.1:8866/vote/{app.store.id}" in reg.cards_warning.value and "HOST=0.0.0.0" in reg.cards_warning.value
    # the reason is the projector's, in the screen's language: restarting on the hall network mends both
    said = html.unescape(reg.cards_warning.value)
    assert translator(lang)(HERE_ONLY) in said and translator(lang)(LAPTOP_OWN_ADDRESS) not in said
    assert translator(lang)(HERE_ONLY) in html.unescape(open_tab(app, "phones").projector.value)
    cards = reg.box.children[-1]
    assert cards.children[0] is reg.cards_warning  # above the print button: seen before printing


def test_cards_for_a_server_the_hall_can_reach_carry_no_warning(app, monkeypatch):
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "0.0.0.0")
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://192.168.43.10:8866")
    reg = open_tab(app, "registration")
    assert reg.cards_warning.value == ""
    # the facilitator typed the laptop's own address in the phone tab: that is warned about too
    phones = open_tab(app, "phones")
    phones.address.value = "http://localhost:8866"
    reg = open_tab(app, "registration")
    assert "pb-cards-unreachable" in reg.cards_warning.value


@pytest.mark.parametrize("address", ["http://localhost:8866", "http://127.0.0.1:8866", "http://[::1]:8866"])
def test_an_address_of_this_laptop_typed_for_phones_is_warned_about_on_the_projector_and_the_cards(app, monkeypatch, address):
    """One rule for both (``reach.unreachable``): no phone opens the laptop's own address, projected or printed. The
    projector said nothing of it, and the cards told a facilitator whose server already listens on the hall network
    to restart it with HOST=0.0.0.0; both now say to type the laptop's address on the hall network."""
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "0.0.0.0")
    monkeypatch.setenv("PBTOOLS_PUBLIC_URL", "http://192.168.43.10:8866")
    app.lang_switch.value = "ru"
    phones = open_tab(app, "phones")
    assert "pb-error" not in phones.projector.value  # the hall's address: nothing to say
    phones.address.value = address
    own = translator("ru")(LAPTOP_OWN_ADDRESS)
    assert own in html.unescape(phones.projector.value) and "HOST=0.0.0.0" not in phones.projector.value
    said = html.unescape(open_tab(app, "registration").cards_warning.value)
    assert f"{address}/vote/{app.store.id}" in said and own in said and "HOST=0.0.0.0" not in said


def test_a_closed_hearing_cannot_register_and_says_why(app):
    reg = open_tab(app, "registration")
    assert not reg.form.disabled and reg.closed_note.value == ""
    app.store.close(actor="chair")
    app.changed()
    assert reg.form.disabled and reg.print_cards.disabled and reg.undo.disabled
    assert "pb-registration-closed" in reg.closed_note.value


def behind_the_hub(monkeypatch, public_url: str | None) -> None:
    """The environment a central server's user's server gives its kernels (``central.hub.spawn_environment``,
    ``hub_serve``): listening on the hub's internal loopback address, its public URL when the hub has one."""
    monkeypatch.setenv("PBTOOLS_ROLE", "facilitator")
    monkeypatch.setenv("PBTOOLS_USER", "aida")
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", "127.0.0.1")
    monkeypatch.setenv("PBTOOLS_SERVE_PORT", "43117")
    if public_url is None:
        monkeypatch.delenv("PBTOOLS_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("PBTOOLS_PUBLIC_URL", public_url)
    # a hall network on this machine: behind the hub it is not where phones go
    monkeypatch.setattr("pbtools.phones.reach.hall_address", lambda: "192.168.43.10")


def test_behind_the_hub_phones_and_cards_get_the_hubs_public_address(app, monkeypatch):
    behind_the_hub(monkeypatch, "https://pb.example.kg/user/aida/ak_suu")
    url = f"https://pb.example.kg/user/aida/ak_suu/vote/{app.store.id}"
    phones = open_tab(app, "phones")
    assert url in phones.projector.value and "pb-error" not in phones.projector.value  # no "listens on this laptop"
    reg = open_tab(app, "registration")
    assert reg.cards_warning.value == ""
    reg.form.submit()
    codes, pdf = issued(reg)
    assert url in pdf_text(pdf) and "43117" not in pdf_text(pdf) and "192.168" not in pdf_text(pdf)
    assert rectangles(pdf) == 1 + runs(f"{url}#code={codes[0]}")


@pytest.mark.parametrize("lang, words", [("ky", "операторунан"), ("ru", "попросите его оператора"),
                                         ("en", "ask its operator")])
def test_behind_a_hub_without_a_public_address_phones_are_not_sent_to_this_servers_own(app, monkeypatch, lang, words):
    behind_the_hub(monkeypatch, None)
    app.lang_switch.value = lang
    phones = open_tab(app, "phones")
    assert phones.address.value == "" and "pb-phone-no-address" in phones.projector.value
    assert words in phones.projector.value and "192.168" not in phones.projector.value
    behind_the_hub(monkeypatch, "http://127.0.0.1:8000/user/aida/")  # the hub's public address is its own loopback
    phones.render()
    assert "http://127.0.0.1:8000/user/aida/vote/" in phones.projector.value and "--public-url" in phones.projector.value
    reg = open_tab(app, "registration")
    assert "pb-cards-unreachable" in reg.cards_warning.value and "--public-url" in reg.cards_warning.value
    assert "HOST=0.0.0.0" not in reg.cards_warning.value
