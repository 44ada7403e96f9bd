/* ctoready flow: sequence numbers for autosave, retry when offline, focus after navigation.
   Works alongside htmx; without JavaScript the forms post as ordinary pages. */
(function () {
  "use strict";
  var base = 0, started = 0, last = 0;
  var pending = new Set();

  function resetClock() {
    var form = document.getElementById("page-form");
    base = form ? parseInt(form.dataset.seq || "0", 10) : 0;
    started = performance.now();
  }

  // Server-clock milliseconds, strictly increasing: a newer choice always wins over an
  // older one, and a retry of the same choice carries the same number.
  function nextSeq() {
    var seq = base + Math.round(performance.now() - started);
    last = Math.max(seq, last + 1);
    return last;
  }

  function questionOf(element) {
    return element.closest ? element.closest(".question") : null;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.tagName !== "INPUT") { return; }
    var question = questionOf(input);
    if (!question) { return; }
    var stamp = question.querySelector('input[name^="s-"]');
    if (stamp) { stamp.value = String(nextSeq()); }
    var status = question.querySelector(".status");
    if (status) { status.textContent = "Saving…"; }
  }, true);

  function markUnsaved(question) {
    pending.add(question.id);
    var status = question.querySelector(".status");
    if (status) {
      status.textContent = "Not saved yet: you seem to be offline. It will be saved when you are back.";
      status.classList.add("error");
    }
  }

  document.addEventListener("htmx:sendError", function (event) {
    var question = questionOf(event.detail.elt);
    if (question) { markUnsaved(question); return; }
    var form = document.getElementById("page-form");
    if (form) {
      var note = document.getElementById("offline-note");
      if (!note) {
        note = document.createElement("p");
        note.id = "offline-note";
        note.className = "notice warn";
        note.setAttribute("role", "alert");
        form.appendChild(note);
      }
      note.textContent = "You seem to be offline. Your answers stay on this page; try again when you are back online.";
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var question = questionOf(event.detail.elt);
    if (question && event.detail.successful) {
      pending.delete(question.id);
      var status = question.querySelector(".status");
      if (status) { status.classList.remove("error"); }
    }
  });

  function retry() {
    pending.forEach(function (id) {
      var question = document.getElementById(id);
      if (question && window.htmx) { window.htmx.trigger(question, "change"); }
    });
  }
  window.addEventListener("online", retry);
  setInterval(function () { if (pending.size && navigator.onLine) { retry(); } }, 5000);

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.elt === document.body || event.detail.boosted) {
      resetClock();
      var heading = document.querySelector("main h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });

  document.addEventListener("DOMContentLoaded", resetClock);
  if (document.readyState !== "loading") { resetClock(); }
})();
