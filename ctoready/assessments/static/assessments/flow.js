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
    return element && element.closest ? element.closest(".question") : null;
  }

  // Interface text comes from the page, in the attempt's language.
  function text(key, fallback) {
    var holder = document.getElementById("flow-text");
    return (holder && holder.dataset[key]) || fallback;
  }

  function notSaved(reason) {
    return text("notSaved", "Not saved") + " — " + reason;
  }

  // htmx swaps a 4xx answer too: it carries the message to show (a status fragment, or
  // the page with the message next to its question). 5xx and network errors are not.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "4..", swap: true, error: true},
      {code: "...", swap: false, error: true}
    ];
  }

  // A scenario's option chosen as most effective cannot also be the least effective, and
  // the other way round; the server refuses it too.
  function syncScenario(question) {
    var radios = question.querySelectorAll('input[type="radio"]');
    var chosen = {best: null, worst: null};
    radios.forEach(function (radio) {
      if (radio.checked) { chosen[radio.name.slice(-4) === "best" ? "best" : "worst"] = radio.value; }
    });
    radios.forEach(function (radio) {
      var other = radio.name.slice(-4) === "best" ? chosen.worst : chosen.best;
      radio.disabled = !radio.checked && other !== null && other === radio.value;
    });
  }

  function syncScenarios() {
    document.querySelectorAll(".question.scenario").forEach(syncScenario);
  }

  // A refused answer: its message is next to the question (or at the top of the page),
  // focused so that it is read out.
  function focusError(root) {
    var target = root.querySelector(".status.error, .status .error") ||
      root.querySelector("[role=alert]");
    if (!target) { return false; }
    var holder = target.closest(".status") || target;
    if (!holder.hasAttribute("tabindex")) { holder.setAttribute("tabindex", "-1"); }
    holder.focus();
    return true;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.tagName !== "INPUT") { return; }
    var question = questionOf(input);
    if (!question) { return; }
    var stamp = question.querySelector('input[name^="s-"]');
    if (stamp) { stamp.value = String(nextSeq()); }
    if (question.classList.contains("scenario")) { syncScenario(question); }
    var status = question.querySelector(".status");
    if (status) { status.textContent = text("saving", "Saving…"); status.classList.remove("error"); }
  }, true);

  function markUnsaved(question, reason) {
    var status = question.querySelector(".status");
    if (status) {
      status.textContent = notSaved(reason);
      status.classList.add("error");
    }
  }

  document.addEventListener("htmx:sendError", function (event) {
    var question = questionOf(event.detail.elt);
    if (question) {
      pending.add(question.id);
      markUnsaved(question, text("offline", "you seem to be offline; it will be saved when you are back."));
      return;
    }
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

  document.addEventListener("htmx:responseError", function (event) {
    var question = questionOf(event.detail.elt);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (question && status >= 500) {
      markUnsaved(question, text("failed", "the server did not answer. Choose again to retry."));
      focusError(question);
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
    var refused = event.detail.xhr && event.detail.xhr.status >= 400;
    if (event.detail.elt === document.body || event.detail.boosted) {
      resetClock();
      syncScenarios();
      if (refused && focusError(document)) { return; }
      var heading = document.querySelector("main h1");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    } else if (refused) {
      focusError(event.detail.target || event.detail.elt);
    }
  });

  function ready() { resetClock(); syncScenarios(); }
  document.addEventListener("DOMContentLoaded", ready);
  if (document.readyState !== "loading") { ready(); }
})();
