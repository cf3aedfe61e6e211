/* A button marked pb-once (widgets/clicks.py) acts once per press: the second click of a double click is dropped
   here, before the widget sends it to the kernel (a double-clicked "Add the session" made two identical sessions,
   "Add the problem" stored once then answered "a problem needs a title" to the emptied box). Caught on the
   document while capturing, so the button's own listener never sees it; the kernel also disables the button while
   its action runs (a slower second press meets a disabled button).
   The answer to a press is drawn a moment later, under the button's row: at the foot of a long tab it came out
   below the screen's edge, so it is brought into sight (only as far as needed). */
(function () {
  var ANSWER = ".pb-ok, .pb-error, .pb-warning";
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".pb-once");
    if (!button) return;
    if (e.detail > 1) {
      e.stopPropagation();
      e.preventDefault();
      return;
    }
    var watch = new MutationObserver(function (changes) {
      var answer = null;
      changes.forEach(function (c) {
        c.addedNodes.forEach(function (n) {
          if (n.nodeType !== 1) return;
          var found = n.matches(ANSWER) ? n : n.querySelector(ANSWER);
          if (found) answer = found;
        });
      });
      if (!answer) return;
      watch.disconnect();
      var r = answer.getBoundingClientRect();
      if (r.bottom > window.innerHeight || r.top < 0) answer.scrollIntoView({block: "nearest"});
    });
    watch.observe(document.body, {childList: true, subtree: true});
    setTimeout(function () { watch.disconnect(); }, 60000);  // a long action (a hall simulated) answers late
  }, true);
})();
