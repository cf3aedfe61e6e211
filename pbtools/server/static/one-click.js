/* A button marked pb-once (widgets/clicks.py) acts once per press: the second click of a double click is dropped
   here, before the widget sends it to the kernel (a double-clicked "Add the session" made two identical sessions,
   "Add the problem" stored once then answered "a problem needs a title" to the emptied box). Caught on the
   document while capturing, so the button's own listener never sees it; the kernel also disables the button while
   its action runs (a slower second press meets a disabled button). */
(function () {
  document.addEventListener("click", function (e) {
    if (e.detail > 1 && e.target.closest && e.target.closest(".pb-once")) {
      e.stopPropagation();
      e.preventDefault();
    }
  }, true);
})();
