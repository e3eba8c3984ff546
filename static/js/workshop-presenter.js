// The consultant's presenter screen, and the form that starts a workshop.
(function () {
  "use strict";

  // The agreed level and note are typed on the polled stage. While the form has focus,
  // polls wait; a note typed but not yet recorded survives every refresh of the same
  // question, so the room's counts keep moving without losing what the consultant wrote.
  function agreementForm() {
    return document.querySelector("form[data-agreement]");
  }
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-agreement]");
    if (form) {
      form.setAttribute("data-dirty", "");
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = agreementForm();
    if (event.detail.elt.id === "stage" && form && form.contains(document.activeElement)) {
      event.preventDefault();
    }
  });
  var unsaved = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = agreementForm();
    unsaved = null;
    if (!form || !form.hasAttribute("data-dirty") || event.detail.elt === form) {
      return; // nothing typed, or this answer is the recorded agreement itself
    }
    unsaved = {
      question: form.elements.question.value,
      level: form.elements.agreed_level.value,
      note: form.elements.note.value,
    };
  });
  // htmx:load, not afterSwap: the swapped-out stage is detached, so its events reach nobody.
  document.addEventListener("htmx:load", function () {
    var form = agreementForm();
    if (unsaved && form && form.elements.question.value === unsaved.question) {
      form.elements.agreed_level.value = unsaved.level;
      form.elements.note.value = unsaved.note;
      form.setAttribute("data-dirty", "");
    }
    unsaved = null;
  });

  // --- Keyboard shortcuts ---------------------------------------------------------------
  // → ← next and previous, V voting, R reveal, 2 second round, A reveal when all voted,
  // E end. Each presses the button or link on screen that carries the key.
  var KEYS = { arrowright: "ArrowRight", arrowleft: "ArrowLeft", v: "v", r: "r", "2": "2", a: "a", e: "e" };

  function typing(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(target.closest("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat || typing(event.target)) {
      return;
    }
    var key = KEYS[event.key.toLowerCase()];
    if (!key || !document.getElementById("stage")) {
      return;
    }
    var control = document.querySelector('#stage [data-shortcut="' + key + '"]');
    if (!control || control.disabled) {
      return;
    }
    event.preventDefault();
    control.click();
  });

  // --- Starting a workshop -----------------------------------------------------------------
  // Contested questions come from people who already answered: their votes are not counted
  // again unless the consultant says so. The box follows the scope until it is touched.
  var start = document.querySelector("form[data-workshop-start]");
  if (start) {
    var counts = start.querySelector('input[name="counts_in_results"]');
    var touched = false;
    if (counts) {
      counts.addEventListener("change", function () { touched = true; });
    }
    start.addEventListener("change", function (event) {
      if (event.target.name === "scope" && counts && !touched) {
        counts.checked = event.target.value !== "contested";
      }
    });
  }
})();
