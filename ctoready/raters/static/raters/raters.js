/* ctoready raters: flow.js stamps radio answers with sequence numbers; this does the same
   for comment boxes, so a later edit always wins over an earlier one. */
(function () {
  "use strict";
  var base = 0, started = 0, last = 0;

  function resetClock() {
    var form = document.getElementById("page-form");
    base = form ? parseInt(form.dataset.seq || "0", 10) : 0;
    started = performance.now();
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || box.tagName !== "TEXTAREA") { return; }
    var question = box.closest(".question");
    var stamp = question && question.querySelector('input[name^="s-"]');
    if (!stamp) { return; }
    last = Math.max(base + Math.round(performance.now() - started), last + 1);
    stamp.value = String(last);
    var status = question.querySelector(".status");
    if (status) { status.textContent = "Saving…"; }
  }, true);

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.elt === document.body || event.detail.boosted) { resetClock(); }
  });
  document.addEventListener("DOMContentLoaded", resetClock);
  if (document.readyState !== "loading") { resetClock(); }
})();
