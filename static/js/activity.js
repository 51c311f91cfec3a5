/* Activity report editor: add and remove activity rows in place. Progressive enhancement only: without this
   script the "Add another activity" button saves the draft and returns with an empty row, and the
   "Remove this activity" checkbox removes a row on save. */
(function () {
  "use strict";

  function init(form) {
    var rows = form.querySelector("[data-item-rows]");
    var template = document.getElementById("item-row-template");
    var addButton = form.querySelector("[data-add-item]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!rows || !template || !addButton || !total) { return; }

    function enhanceRow(row) {
      var del = row.querySelector("input[type=checkbox][name$='-DELETE']");
      if (!del || row.querySelector("[data-remove-row]")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.setAttribute("data-remove-row", "");
      button.textContent = addButton.getAttribute("data-remove-label") || "Remove this activity";
      button.addEventListener("click", function () {
        del.checked = true;
        row.hidden = true;
        var next = row.nextElementSibling || addButton;
        if (next && next.focus) { next.focus(); }
      });
      del.parentNode.appendChild(button);
    }

    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      enhanceRow(row);
      var first = row.querySelector("input[type=text], select, textarea");
      if (first) { first.focus(); }
    });

    Array.prototype.forEach.call(rows.querySelectorAll("[data-item-row]"), enhanceRow);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-report-form]"), init);
  });
})();
