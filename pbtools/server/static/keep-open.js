/* A folded part the reader opened (<details data-pb-keep="KEY">: the Pabulib app's explanation and ties) stays open
   when the app draws it again: a language switch or a recount replaces the widget's HTML, and the new <details>
   came folded, closing what the reader had opened (new-user trial s27 L7). Kept in this page only. */
(function () {
  var open = {};
  document.addEventListener("toggle", function (e) {
    var key = e.target.getAttribute && e.target.getAttribute("data-pb-keep");
    if (key) open[key] = e.target.open;
  }, true);  // toggle does not bubble: caught while capturing
  new MutationObserver(function (changes) {
    changes.forEach(function (c) {
      c.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1) return;
        var found = n.matches("details[data-pb-keep]") ? [n] : n.querySelectorAll("details[data-pb-keep]");
        Array.prototype.forEach.call(found, function (d) {
          if (open[d.getAttribute("data-pb-keep")]) d.open = true;
        });
      });
    });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
