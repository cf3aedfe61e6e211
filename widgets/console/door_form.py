"""The registration form at the door: one row of answers per question (sex, age group, village, category), "—"
(not given) first and chosen at the start, an optional name box, and the Register button.

The browser owns the choices: Register (a click, or Enter anywhere in the form) sends the answers lit on the screen
as one message and at once puts every row back to "—" for the next person. With ipywidgets toggles set back by the
kernel, the next person's "Woman", clicked before that reset arrived, hit a button still lit from the previous
person (which sends nothing) and was then wiped: a fast door recorded women as "not given". Here nothing the kernel
sends changes a choice, except handing back a refused person's answers while the form is still untouched.

Keyboard: each row is one Tab stop (arrow keys move the choice, as radio buttons do), then the name, then Register;
Enter registers from anywhere in the form, and the cursor goes back to the first row.

``submit(**answers)`` is what the browser does on Register (tests call it): unnamed answers are "not given".
"""

from __future__ import annotations

from typing import Callable

import anywidget
import traitlets

from pbtools.hearings.model import UNKNOWN

_ESM = """
function render({ model, el }) {
  const form = document.createElement("div");
  form.className = "pb-door";
  el.appendChild(form);
  const rowsBox = document.createElement("div");
  const nameBox = document.createElement("div");
  nameBox.className = "widget-text pb-door-name";
  const name = document.createElement("input");
  name.type = "text";
  name.className = "widget-input";
  name.autocomplete = "off";
  nameBox.appendChild(name);
  const register = document.createElement("button");
  register.className = "jupyter-button widget-button mod-primary pb-door-register";
  form.append(rowsBox, nameBox, register);
  const chosen = {};  // row name -> value lit on screen

  const untouched = () => name.value === "" && Object.values(chosen).every((v) => v === model.get("unknown"));
  const light = (row) => {
    rowsBox.querySelectorAll(`[data-row="${row}"] button`).forEach((b) => {
      const on = b.dataset.value === chosen[row];
      b.classList.toggle("mod-active", on);
      b.setAttribute("aria-checked", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
    });
  };
  const draw = () => {
    rowsBox.replaceChildren();
    for (const row of model.get("rows")) {
      const group = document.createElement("div");
      group.className = "widget-toggle-buttons pb-door-answers";
      group.dataset.row = row.name;
      group.setAttribute("role", "radiogroup");
      group.setAttribute("aria-label", row.label);
      const values = row.choices.map((c) => c[1]);
      if (!values.includes(chosen[row.name])) chosen[row.name] = model.get("unknown");
      row.choices.forEach(([text, value, tip], i) => {
        const b = document.createElement("button");
        b.className = "widget-toggle-button jupyter-button";
        b.textContent = text;
        b.title = tip;
        b.dataset.value = value;
        b.setAttribute("role", "radio");
        b.addEventListener("click", () => { chosen[row.name] = value; light(row.name); });
        b.addEventListener("keydown", (event) => {
          const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
          if (!step) return;
          event.preventDefault();
          const next = (i + step + values.length) % values.length;
          chosen[row.name] = values[next];
          light(row.name);
          group.querySelectorAll("button")[next].focus();
        });
        group.appendChild(b);
      });
      rowsBox.appendChild(group);
      light(row.name);
    }
    const disabled = model.get("disabled");
    form.querySelectorAll("button, input").forEach((e) => { e.disabled = disabled; });
    register.textContent = model.get("register_label");
    name.setAttribute("aria-label", model.get("name_label"));
    name.placeholder = model.get("name_label");
    nameBox.style.display = model.get("ask_name") ? "" : "none";
  };
  const send = () => {
    if (model.get("disabled")) return;
    model.send({ person: { ...chosen, name: model.get("ask_name") ? name.value.trim() : "" } });
    for (const row of Object.keys(chosen)) { chosen[row] = model.get("unknown"); light(row); }  // at once: the next person
    name.value = "";
    const first = rowsBox.querySelector("button[tabindex='0']");
    if (first && document.activeElement !== register) first.focus();
  };
  // a double click's second click, or a held Enter's repeats, would meet the cleared form: not another person (a
  // door counting heads without asking anything does press Register quickly, once a person)
  register.addEventListener("click", (event) => { if (event.detail <= 1) send(); });
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target !== register) { event.preventDefault(); if (!event.repeat) send(); }
  });
  model.on("msg:custom", (msg) => {
    if (msg.restore && untouched()) {  // refused: the answers come back unless the next person was started
      for (const [row, value] of Object.entries(msg.restore)) {
        if (row === "name") name.value = value; else if (row in chosen) { chosen[row] = value; light(row); }
      }
    }
  });
  for (const key of ["rows", "disabled", "register_label", "name_label", "ask_name"]) model.on("change:" + key, draw);
  draw();
}
export default { render };
"""


class DoorForm(anywidget.AnyWidget):
    _esm = _ESM
    # [{"name": "sex", "label": "...", "choices": [[text, value, tooltip], ...]}], "—" (UNKNOWN) first in each
    rows = traitlets.List([]).tag(sync=True)
    unknown = traitlets.Unicode(UNKNOWN).tag(sync=True)
    register_label = traitlets.Unicode("").tag(sync=True)
    name_label = traitlets.Unicode("").tag(sync=True)
    ask_name = traitlets.Bool(False).tag(sync=True)  # the hearing records names
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, on_person: Callable[[dict], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self._on_person = on_person
        self.on_msg(lambda _widget, content, _buffers: self._message(content))

    def _message(self, content) -> None:
        person = content.get("person") if isinstance(content, dict) else None
        if isinstance(person, dict):
            self.submit(**{str(k): str(v) for k, v in person.items()})

    def submit(self, **answers: str) -> None:
        """Register the person with ``answers`` (sex, age, village, category, name), the others "not given"."""
        person = {row["name"]: answers.get(row["name"], UNKNOWN) for row in self.rows}
        person["name"] = answers.get("name", "")
        try:
            self._on_person(person)
        except Exception:  # not stored: the browser had cleared the form, so the answers go back to it
            self.restore(person)
            raise

    def restore(self, person: dict) -> None:
        """Hand a refused person's answers back (the browser takes them only while nothing new was chosen)."""
        self.send({"restore": person})
