// The queue kiosk (/lay-so/): the ticket page prints itself on the kiosk's receipt printer
// (80 mm, the print styles in app.css) and goes back to the buttons; the buttons page reloads
// now and then so the waiting counts stay true.
(function () {
  "use strict";
  var body = document.body;
  if (body.getAttribute("data-print") === "1") {
    window.addEventListener("load", function () { window.print(); });
  }
  var back = body.getAttribute("data-back");
  if (back) {
    var seconds = parseInt(body.getAttribute("data-back-seconds"), 10) || 20;
    setTimeout(function () { window.location.href = back; }, seconds * 1000);
  }
  var reload = parseInt(body.getAttribute("data-reload"), 10);
  if (reload) { setTimeout(function () { window.location.reload(); }, reload * 1000); }
})();
