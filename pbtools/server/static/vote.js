/* Checks a phone ballot before it is sent (the server checks it again). Plain ES5 for old Android browsers. */
(function () {
  var data = document.getElementById("pb-vote"), form = document.getElementById("ballot");
  if (!data || !form || !window.JSON) return;
  var S = JSON.parse(data.textContent || data.innerText), M = S.msgs;
  var ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  var box = document.getElementById("problems"), status = document.getElementById("status");
  var button = document.getElementById("submit"), code = document.getElementById("code");

  function fill(text, params) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return params.hasOwnProperty(k) ? String(params[k]) : m; });
  }
  function money(tyiyn) {
    return String(Math.round(tyiyn / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, S.group) + "\u00a0" + S.unit;
  }
  function all(selector) { return form.querySelectorAll(selector); }
  function ref(input) { return "№" + input.getAttribute("data-num"); }

  function codeProblems() {
    var text = code.value.replace(/[\s-]/g, "").toUpperCase(), wrong = [], sum = 0, i, v;
    if (!text) return [M.cmiss];
    if (text.length !== 10) return [fill(M.clen, {n: 10, got: text.length})];
    for (i = 0; i < text.length; i++) {
      v = ALPHABET.indexOf(text.charAt(i));
      if (v < 0) { if (wrong.indexOf(text.charAt(i)) < 0) wrong.push(text.charAt(i)); } else { sum += (i + 1) * v; }
    }
    if (wrong.length) return [fill(M.cchars, {chars: wrong.sort().join(" ")})];
    return sum % 31 ? [M.ccheck] : [];
  }

  function chosen() {
    var list = [], boxes = all("input[name=choice]"), i;
    for (i = 0; i < boxes.length; i++) if (boxes[i].checked) list.push(boxes[i]);
    return list;
  }
  function cost(list) {
    var total = 0, i;
    for (i = 0; i < list.length; i++) total += parseInt(list[i].getAttribute("data-cost"), 10);
    return total;
  }
  function points() {
    var inputs = all("input.pts"), total = 0, bad = [], i, v, text;
    for (i = 0; i < inputs.length; i++) {
      text = inputs[i].value.replace(/\s/g, "");
      if (!text) continue;
      if (!/^\d+$/.test(text)) { bad.push(fill(M.pnum, {option: ref(inputs[i]), value: text})); continue; }
      v = parseInt(text, 10);
      if (v > 1 && !S.stacking) bad.push(fill(M.stack, {option: ref(inputs[i]), value: v}));
      total += v;
    }
    return {total: total, bad: bad};
  }

  function ballotProblems() {
    var p = [], list, n, r, i, ranks = {}, max = 0, missing = [], answer = false;
    if (S.kind === "single" || S.kind === "approval" || S.kind === "knapsack") {
      list = chosen(); n = list.length;
      if (!n) p.push(M.none);
      if (S.kind === "single" && n > 1) p.push(fill(M.one, {n: n}));
      if (S.kind === "approval" && n > S.max) p.push(fill(M.many, {n: n, k: S.max}));
      if (S.kind === "knapsack" && cost(list) > S.budget) p.push(fill(M.over, {cost: money(cost(list)), budget: money(S.budget)}));
    } else if (S.kind === "points") {
      r = points(); p = r.bad;
      if (!r.total && !p.length) p.push(M.none);
      else if (r.total > S.points) p.push(fill(M.pmore, {total: r.total, points: S.points}));
      else if (S.exact && r.total && r.total < S.points) p.push(fill(M.pless, {total: r.total, points: S.points}));
    } else if (S.kind === "ranking") {
      list = all("select.rank"); n = 0;
      for (i = 0; i < list.length; i++) {
        r = list[i].value;
        if (!r) continue;
        n++; r = parseInt(r, 10); max = Math.max(max, r);
        (ranks[r] = ranks[r] || []).push(ref(list[i]));
      }
      if (!n) p.push(M.none);
      if (n > S.max) p.push(fill(M.rmany, {n: n, k: S.max}));
      for (r = 1; r <= max; r++) {
        if (!ranks[r]) missing.push(r);
        else if (ranks[r].length > 1) p.push(fill(M.rdup, {rank: r, options: ranks[r].join(", ")}));
      }
      if (missing.length) p.push(fill(M.rgap, {rank: missing.join(", ")}));
    } else {
      list = all("input[name=answer]");
      for (i = 0; i < list.length; i++) answer = answer || list[i].checked;
      if (!answer) p.push(M.answer);
    }
    return S.code && code ? p.concat(codeProblems()) : p;
  }

  function show(problems) {
    var i, li, ul = document.createElement("ul");
    box.innerHTML = "";
    for (i = 0; i < problems.length; i++) {
      li = document.createElement("li");
      li.appendChild(document.createTextNode(problems[i]));
      ul.appendChild(li);
    }
    box.appendChild(ul);
    if (problems.length) box.removeAttribute("hidden"); else box.setAttribute("hidden", "");
  }

  function running() {
    if (S.kind === "knapsack") status.innerHTML = "", status.appendChild(document.createTextNode(
      fill(M.chosen, {cost: money(cost(chosen())), budget: money(S.budget)})));
    if (S.kind === "points") status.innerHTML = "", status.appendChild(document.createTextNode(
      fill(M.given, {total: points().total, points: S.points})));
  }

  if (code && location.hash.indexOf("#code=") === 0) {
    // a code card's QR may carry the code after "#": it never reaches the server's log; drop it from the history
    code.value = decodeURIComponent(location.hash.slice(6));
    if (window.history && history.replaceState) history.replaceState(null, "", location.pathname + location.search);
  }
  form.onchange = running;
  form.onkeyup = running;
  form.oninput = running;
  running();
  form.onsubmit = function () {
    var problems = ballotProblems();
    show(problems);
    if (problems.length) { box.scrollIntoView && box.scrollIntoView(); return false; }
    button.disabled = true;  // one tap, one ballot: a second tap would only be refused as already used
    return true;
  };
  window.onpageshow = function () { button.disabled = false; };
})();
