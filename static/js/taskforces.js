// Meeting pack status: poll the JSON status while the pack builds and update the page in place.
// Without JavaScript the page refreshes itself (meta refresh) and has a "Refresh now" link.
(function () {
  "use strict";
  var box = document.getElementById("pack-status");
  if (!box || !window.fetch) { return; }
  var status = box.getAttribute("data-pack-status");
  if (status === "done" || status === "failed") { return; }
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) { refresh.parentNode.removeChild(refresh); }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var bar = box.querySelector("progress");
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
        var label = box.querySelector(".status");
        if (label && data.message) { label.nextSibling.textContent = " " + data.message; }
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
