// Pickers (programmes/pickers.py). A search box beside a long select narrows it as one types, from the page's
// JSON view; a long checkbox group gets a box that hides the boxes whose label does not match. Without this
// script both still work: "Find" sends the form back with the matches, and every checkbox is shown.
(function () {
  "use strict";
  var script = document.currentScript;
  var text = function (name) { return (script && script.getAttribute("data-" + name)) || ""; };

  function debounce(fn, ms) {
    var timer;
    return function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fn, ms);
    };
  }

  document.querySelectorAll(".picker[data-picker-source]").forEach(function (picker) {
    var select = document.getElementById(picker.getAttribute("data-picker-for"));
    var box = picker.querySelector("input[type=search]");
    var button = picker.querySelector("button");
    var status = picker.querySelector(".picker-status");
    if (!select || !box) {
      return;
    }
    var last = null;
    var search = function () {
      var term = box.value.trim();
      if (term === last || term.length < 2) {
        return;
      }
      last = term;
      var url = picker.getAttribute("data-picker-source") + "?q=" + encodeURIComponent(term);
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          if (box.value.trim() !== term) {
            return;
          }
          // Keep the empty choice and the chosen object; replace the rest with the matches.
          var kept = Array.prototype.filter.call(select.options, function (o) { return o.value === "" || o.selected; });
          var keptValues = kept.map(function (o) { return o.value; });
          select.replaceChildren.apply(select, kept);
          data.results.forEach(function (item) {
            if (keptValues.indexOf(String(item.id)) === -1) {
              select.appendChild(new Option(item.label, item.id));
            }
          });
          if (status) {
            status.textContent = data.results.length ? text(data.more ? "more" : "found") : text("none");
          }
        })
        .catch(function () { last = null; });
    };
    box.addEventListener("input", debounce(search, 250));
    // Enter in the box searches here instead of sending the whole form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        last = null;
        search();
      }
    });
    if (button) {
      // With the list following the typing, "Find" no longer needs to send the form.
      button.type = "button";
      button.addEventListener("click", function (event) {
        event.preventDefault();
        last = null;
        search();
      });
    }
  });

  // Long checkbox groups: a filter box above the list.
  document.querySelectorAll("div.checkbox-group, div.checkbox-list").forEach(function (group, index) {
    var items = group.querySelectorAll(":scope > div");
    if (items.length < 12) {
      return;
    }
    var id = (group.id || "checkbox-group-" + index) + "__filter";
    var wrapper = document.createElement("div");
    wrapper.className = "checkbox-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = text("filter-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    group.parentNode.insertBefore(wrapper, group);
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      items.forEach(function (item) {
        var box = item.querySelector("input");
        var match = !term || item.textContent.toLowerCase().indexOf(term) !== -1 || (box && box.checked);
        item.hidden = !match;
      });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  });
})();
