// A participant's phone during a live workshop. The page polls a small fragment (htmx,
// with ETags: etag-polling.js).
(function () {
  "use strict";

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
