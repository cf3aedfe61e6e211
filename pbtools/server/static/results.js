/* The results board's Full screen button (widgets/results_app.py). The Fullscreen API needs a click in the page
   itself, so the button is plain HTML and this listener (on the document: the board is drawn after the page loads)
   handles its click. The same button or Escape leaves. Without the API (an old browser) the board is pinned over
   the page by the CSS class pb-full, and Escape leaves that too. */
(function () {
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".pb-fullscreen-button");
    if (!b) return;
    var r = b.closest(".pb-results");
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (r.requestFullscreen) { r.requestFullscreen(); }
    else { r.classList.toggle("pb-full"); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      document.querySelectorAll(".pb-results.pb-full").forEach(function (x) { x.classList.remove("pb-full"); });
    }
  });
})();
