// The status page's only script: every few seconds, fetch the page's body fragment and
// swap it in (no full reload), and say how old the data on screen is. No inline script,
// so the page runs under a CSP of `script-src 'self'`.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var age = document.getElementById("age");
  if (!live || !age) { return; }
  var every = 1000 * (parseInt(age.getAttribute("data-refresh-seconds"), 10) || 5);
  var loadedAt = Date.now();
  var failing = false;

  function typing() {
    var active = document.activeElement;
    return active && live.contains(active) && active.tagName === "INPUT";
  }

  function showAge() {
    var seconds = Math.round((Date.now() - loadedAt) / 1000);
    age.textContent = (failing ? "refresh failing; " : "") + "data " + seconds + " s old";
    age.className = failing || seconds > 3 * every / 1000 ? "age stale" : "age";
  }

  function refresh() {
    if (typing()) { return; }  // an operator typing a silence reason keeps the form
    fetch(live.getAttribute("data-refresh"), { credentials: "same-origin" })
      .then(function (answer) {
        if (!answer.ok) { throw new Error("HTTP " + answer.status); }
        return answer.text();
      })
      .then(function (html) {
        if (typing()) { return; }
        live.innerHTML = html;  // server-rendered, every value escaped by the template
        loadedAt = Date.now();
        failing = false;
        showAge();
      })
      .catch(function () { failing = true; showAge(); });
  }

  showAge();
  setInterval(showAge, 1000);
  setInterval(refresh, every);
}());
