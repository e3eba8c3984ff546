// Polling with ETags, for the live workshop's screens. A polled fragment carries the ETag
// of what it shows in data-etag, sent back so that the server answers 304 while nothing
// has changed; a 304 leaves the page exactly as it is (no swap, so a tap or a form in
// progress is never lost).
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var etag = event.detail.elt.getAttribute("data-etag");
    if (etag && event.detail.verb === "get") {
      event.detail.headers["If-None-Match"] = etag;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 304) {
      event.detail.shouldSwap = false;
    }
  });
})();
