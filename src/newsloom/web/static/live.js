// newsloom live panel: fetch a fresh copy of the server-rendered panel every few seconds and swap it in.
// Without JavaScript the page works the same; the panel is then as of the page load.
(function () {
  "use strict";
  var panel = document.getElementById("live-panel");
  if (!panel || !window.fetch || !window.DOMParser) { return; }
  var seconds = parseInt(panel.getAttribute("data-refresh"), 10) || 30;
  function refresh() {
    if (document.hidden) { return; }
    fetch("/live", { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live-panel");
        var current = document.getElementById("live-panel");
        if (fresh && current) { current.replaceWith(document.importNode(fresh, true)); }
      })
      .catch(function () { /* offline or server restarting: try again next time */ });
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
}());
