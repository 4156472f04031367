// Shenava web: small progressive enhancement. Every page works without it (forms post and
// redirect); with it, the inbox updates live and htmx requests carry the CSRF token.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener("htmx:configRequest", function (event) {
    if (meta) { event.detail.headers["X-CSRF-Token"] = meta.content; }
  });

  // "copy" buttons of suggested replies: the textarea's current (possibly edited) text
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button || !navigator.clipboard) { return; }
    var field = document.getElementById(button.dataset.copy);
    if (!field) { return; }
    navigator.clipboard.writeText(field.value).then(function () { button.textContent = button.dataset.copied; });
  });

  var queue = document.getElementById("queue");
  var status = document.getElementById("live-status");
  if (!queue || !window.EventSource) { return; }

  function setState(state) {
    if (!status) { return; }
    status.dataset.state = state;
    status.textContent = state === "on" ? status.dataset.on : status.dataset.off;
  }

  var busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch("/inbox/queue" + window.location.search, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) { return; }
        var focused = document.activeElement && queue.contains(document.activeElement) ? document.activeElement.id : null;
        queue.innerHTML = html;  // the server's escaped HTML; nothing is built from data here
        if (focused) {
          var again_ = document.getElementById(focused);
          if (again_) { again_.focus(); }
        }
        queue.dispatchEvent(new CustomEvent("shenava:queue-updated", { bubbles: true }));
      })
      .catch(function () { /* the next change event tries again */ })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  var source = new EventSource("/inbox/events");
  source.addEventListener("open", function () { setState("on"); });
  source.addEventListener("error", function () { setState("off"); });
  source.addEventListener("change", function () { setState("on"); refresh(); });
})();
