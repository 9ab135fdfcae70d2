/* 告警: refresh the list and the nav's count every 30 s, in place, without a CDN or a library.
   A round is skipped while a note is being written (focus in, or text typed), so nothing typed is lost. */
(function () {
  "use strict";
  var EVERY_MS = 30000;

  function writing() {
    var notes = document.querySelectorAll("#board input[name=note]");
    for (var i = 0; i < notes.length; i++) {
      if (notes[i] === document.activeElement || notes[i].value) { return true; }
    }
    return false;
  }

  function swap(fresh, id) {
    var now = document.getElementById(id);
    var next = fresh.getElementById(id);
    if (now && next) { now.replaceWith(next); }
  }

  function refresh() {
    if (writing() || document.hidden) { return; }
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) {
        if (answer.redirected || !answer.ok) { window.location.reload(); return null; }  // logged out: the login page
        return answer.text();
      })
      .then(function (html) {
        if (html === null || writing()) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        swap(fresh, "board");
        swap(fresh, "nav-alerts");
        document.documentElement.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }

  setInterval(refresh, EVERY_MS);
})();
