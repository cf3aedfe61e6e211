"""The results board on a 1024x768 projector, full screen (the Fullscreen API, and the pinned board of an old
browser), in Kyrgyz and Russian: nothing outside the screen or over anything else, option names large enough."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import Hearing, Option, Question
from pbtools.hearings.store import create_hearing
from pbtools.results.board import set_results_hidden
from pbtools.storage import open_workspace
from tests.fixtures.shared_server import own_hearing

# A hearing like the first trial's: six options with long Kyrgyz names, and a tie (№3 and №4, 2 votes each) whose
# note runs over two lines under the chart.
NAMES = ["Жаңы-Айылга ичүүчү суу", "Таштанды чогултуу", "Көк-Талаада көчө жарыгы", "Бел-Саздагы бала бакчаны оңдоо",
         "Кара-Суудагы спорт аянтчасы", "Таш-Булакка суу түтүгү"]
COSTS = [400_000, 1_150_000, 300_000, 300_000, 200_000, 500_000]
PROJECTOR_BALLOTS = ["1 2", "2 6", "2 3", "1 4", "2 6", "1 6", "4 5", "1 2", "3 2", "1"]


def revealed_hearing(workspace) -> str:
    """The trial's hearing, open, its ballots in and its results shown."""
    from pbtools.hearings.model import Ballot

    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Жаңы-Айыл", type="pb_vote", date="2026-12-01",
                                           title="Жаңы-Айыл: 2027-жылдын долбоорлору", budget=Decimal(1_500_000)), actor="test")
        store.add_options([Option(id=f"p{i}", number=i, titles={"ky": n, "ru": n, "en": n}, cost=Decimal(c))
                           for i, (n, c) in enumerate(zip(NAMES, COSTS), 1)], actor="test")
        store.define_question(Question(id="q1", kind="approval", max_choices=2, options=tuple(f"p{i}" for i in range(1, 7)),
                                       titles={"ky": "Кайсы долбоорлорду колдойсуз? (эң көп 2)", "en": "Which projects do you support? (up to 2)",
                                               "ru": "Какие проекты вы поддерживаете? (не больше 2)"}), actor="test")
        store.open(actor="test")
        for text in PROJECTOR_BALLOTS:
            store.cast("q1", Ballot(tuple((f"p{x}", 1) for x in text.split())), actor="test")
        set_results_hidden(ws, store.id, False)
        return store.id


@pytest.fixture(scope="module")
def projector_server(shared_server):
    own_hearing(shared_server, revealed_hearing)
    return shared_server


BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  const one = s => { const e = document.querySelector(s); return e ? box(e) : null; };
  const img = document.querySelector('.pb-board-image');
  const pane = document.querySelector('.pb-board-pane');
  return {
    langs: [...document.querySelectorAll('.pb-app .widget-toggle-buttons')].slice(0, 1).flatMap(t => [...t.querySelectorAll('button')].map(box)),
    reveal: one('.pb-reveal'), full: one('.pb-fullscreen-button'), tabbar: one('.pb-results .lm-TabBar'),
    head: one('.pb-board-head'), small: one('.pb-board-small'), question: one('.pb-question'), image: box(img), notes: one('.pb-notes'),
    natural: [img.naturalWidth, img.naturalHeight], pane: [pane.scrollHeight, pane.clientHeight],
    viewport: [window.innerWidth, window.innerHeight],
  };
}"""


def overlap(a, b) -> bool:
    return min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.5 and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 0.5


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("mode", ["api", "fallback"])
def test_full_screen_fits_a_1024x768_projector(projector_server, chromium, lang, mode):
    from pbtools.charts import style
    from tests.fixtures.browser import local_page

    with local_page(chromium, viewport={"width": 1024, "height": 768}) as page:
        page.goto(projector_server.url + f"/voila/render/results.ipynb?lang={lang}")
        page.locator(".pb-notes li").first.wait_for()  # revealed: the chart and its notes are drawn
        page.locator(".pb-board-image").wait_for(state="visible")
        if mode == "fallback":
            page.evaluate("Element.prototype.requestFullscreen = undefined")  # an old browser: the pinned board
        page.locator(".pb-fullscreen-button").click()
        page.wait_for_function("document.fullscreenElement !== null || document.querySelector('.pb-results.pb-full') !== null")
        page.wait_for_function("document.querySelector('.pb-board-image').complete")
        b = page.evaluate(BOXES)

    width, height = b["viewport"]
    assert (width, height) == (1024, 768)
    shown = [b[k] for k in ("reveal", "full", "tabbar", "head", "small", "question", "image", "notes")] + b["langs"]
    assert all(box is not None for box in shown) and len(b["langs"]) == 3
    for box in shown:  # nothing outside the screen
        assert box["x0"] >= -0.5 and box["y0"] >= -0.5 and box["x1"] <= width + 0.5 and box["y1"] <= height + 0.5, box
    corner = [b["reveal"], b["full"]]
    for button in corner:  # the corner's buttons clear the language buttons and the board
        for other in b["langs"] + [b["tabbar"], b["head"]]:
            assert not overlap(button, other), (button, other)
    column = [b[k] for k in ("tabbar", "head", "small", "question", "image", "notes")]
    for upper, lower in zip(column, column[1:]):  # one column, top to bottom, nothing over anything
        assert upper["y1"] <= lower["y0"] + 0.5, (upper, lower)
    scroll, client = b["pane"]
    assert scroll <= client + 1  # nothing of the board is cut off inside its pane either
    # the chart is drawn whole inside its box (object-fit: contain), at this scale:
    natural_w, natural_h = b["natural"]
    scale = min((b["image"]["x1"] - b["image"]["x0"]) / natural_w, (b["image"]["y1"] - b["image"]["y0"]) / natural_h)
    name_px = style.BOARD_NAME_SIZE * style.BOARD_DPI / 72 * scale  # points to the PNG's pixels, then as shown
    assert name_px >= 24, f"option names are {name_px:.1f} px high on the projector"
