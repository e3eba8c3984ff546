// A participant's phone during a live workshop. The page polls a small fragment (htmx);
// each fragment carries the ETag of what it shows, sent back so that the server answers
// 304 while nothing has changed, and a 304 leaves the page exactly as it is (no swap, so a
// tap in progress is never lost).
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

  // A dropped connection: say so, keep polling, and clear the notice once an answer comes.
  function connection(lost) {
    var notice = document.getElementById("connection-status");
    if (notice) {
      notice.hidden = !lost;
    }
  }
  document.addEventListener("htmx:sendError", function () { connection(true); });
  document.addEventListener("htmx:timeout", function () { connection(true); });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status) {
      connection(false);
    }
  });
})();
