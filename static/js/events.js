// Progressive enhancement for the calendar: hide the time fields of an all-day event and copy feed URLs on focus.
// Everything works without this file.
(function () {
  "use strict";
  var allDay = document.getElementById("id_all_day");
  var form = allDay && allDay.form;
  if (form) {
    var sync = function () { form.classList.toggle("js-all-day", allDay.checked); };
    allDay.addEventListener("change", sync);
    sync();
  }
  document.querySelectorAll("input.copy-url").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
