// Progress of a running report without reloading the page. The page also refreshes itself with a meta refresh,
// so this script only makes the wait smoother; nothing depends on it.
(function () {
  "use strict";
  var box = document.querySelector(".job-progress[data-poll-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var value = box.querySelector(".progress-value");
  function poll() {
    fetch(box.getAttribute("data-poll-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (bar) { bar.value = job.progress; bar.textContent = job.progress + " %"; }
        if (value) { value.textContent = job.progress; }
        if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
}());
