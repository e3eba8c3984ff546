// The consultant's presenter screen, and the form that starts a workshop.
(function () {
  "use strict";

  // The stage polls every second whatever has focus: the room's counts, the automatic
  // reveal and every move made in another tab must reach the projector. Only what the
  // presenter typed and has not recorded yet (the agreed level, the note) is protected: it is
  // kept per question across every refresh, the caret included, until it is recorded.
  var drafts = {}; // question id -> {level, note, start, end}

  function agreementForm() {
    return document.querySelector("form[data-agreement]");
  }

  function keepDraft(form) {
    var note = form.elements.note;
    drafts[form.elements.question.value] = {
      level: form.elements.agreed_level.value,
      note: note.value,
      start: note.selectionStart,
      end: note.selectionEnd,
    };
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-agreement]");
    if (form) {
      keepDraft(form);
    }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-agreement]");
    if (form) {
      keepDraft(form);
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = agreementForm();
    if (!form || event.detail.xhr.status === 304) {
      return;
    }
    if (event.detail.elt === form && event.detail.xhr.status < 300) {
      delete drafts[form.elements.question.value]; // recorded: the answer shows it
    } else if (drafts[form.elements.question.value]) {
      keepDraft(form); // the caret as it is now
    }
  });
  // htmx:load, not afterSwap: the swapped-out stage is detached, so its events reach nobody.
  document.addEventListener("htmx:load", function () {
    var form = agreementForm();
    var draft = form && drafts[form.elements.question.value];
    if (!draft) {
      return;
    }
    var note = form.elements.note;
    form.elements.agreed_level.value = draft.level;
    if (note.value !== draft.note) {
      note.value = draft.note;
    }
    if (document.activeElement === note && draft.start !== null) {
      note.setSelectionRange(draft.start, draft.end);
    }
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
