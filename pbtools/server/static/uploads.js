/* A file larger than a page may send its app (limits.UPLOAD_MOST) is stopped here, before it is read and sent, and
   said next to its upload button in the page's language. Sent, it went as one websocket message: past the server's
   limit the connection dropped and the page reconnected without a word, the file gone (new-user trial s23).
   The upload widget keeps its <input type=file> out of the page, so no listener on the document sees its choice:
   each input gets this check when it is made, before the widget adds its own, and stops the widget's when it must. */
(function () {
  var messages = JSON.parse(document.getElementById("pb-page-messages").textContent);
  var most = JSON.parse(document.getElementById("pb-upload-most").textContent);
  var clicked = null;  // the upload button last clicked: the refusal is said under it
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".widget-upload");
    if (b) clicked = b;
  }, true);
  function lang() {
    var asked = new URLSearchParams(location.search).get("lang");
    return messages[asked] ? asked : "ky";
  }
  function mb(bytes) {
    return (Math.round(bytes / 104857.6) / 10).toLocaleString(lang() === "en" ? "en" : "ru");
  }
  function say(text) {
    var old = document.querySelectorAll(".pb-upload-refused");
    for (var i = 0; i < old.length; i++) old[i].remove();
    if (!text) return;
    var box = document.createElement("div");
    box.className = "pb-error pb-upload-refused";
    box.setAttribute("role", "alert");
    box.lang = lang();
    box.textContent = text;
    if (clicked && clicked.isConnected) clicked.insertAdjacentElement("afterend", box);
    else (document.body || document.documentElement).prepend(box);
  }
  function check(e) {
    var input = e.target;
    if (input.type !== "file" || !input.files) return;
    var big = Array.prototype.filter.call(input.files, function (f) { return f.size > most; });
    if (!big.length) { say(""); return; }
    e.stopImmediatePropagation();  // the widget never reads nor sends it
    var t = messages[lang()].too_big;
    say(big.map(function (f) {
      return t.replace("{file}", f.name).replace("{size}", mb(f.size)).replace("{most}", mb(most));
    }).join(" "));
    input.value = "";
  }
  var make = Document.prototype.createElement;
  Document.prototype.createElement = function (name) {
    var made = make.apply(this, arguments);
    if (String(name).toLowerCase() === "input") made.addEventListener("change", check);
    return made;
  };
})();
