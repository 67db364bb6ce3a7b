// The disclosure board on the desk's TV (/niem-yet/?tv=1): one page at a time, turning every
// data-seconds seconds, and the clock in the corner. No data is fetched: the page reloads
// itself every hour to pick up catalogue changes.
(function () {
  "use strict";
  var pages = document.querySelectorAll(".tv-page");
  var seconds = parseInt(document.body.getAttribute("data-seconds"), 10) || 15;
  var current = 0;
  function show(next) {
    pages[current].hidden = true;
    current = next % pages.length;
    pages[current].hidden = false;
    document.body.setAttribute("data-page", String(current + 1));
  }
  document.body.setAttribute("data-page", "1");
  if (pages.length > 1) {
    setInterval(function () { show(current + 1); }, seconds * 1000);
  }
  var clock = document.getElementById("tv-dong-ho");
  function tick() {
    var now = new Date();
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    clock.textContent = two(now.getHours()) + ":" + two(now.getMinutes()) + " " +
      two(now.getDate()) + "/" + two(now.getMonth() + 1) + "/" + now.getFullYear();
  }
  if (clock) { tick(); setInterval(tick, 10000); }
  setTimeout(function () { window.location.reload(); }, 3600 * 1000);
  // the numbers the desk calls (/lay-so/dang-goi/), every 3 s; shown once there is one today
  var calls = document.getElementById("tv-goi-so");
  function row(call) {
    var line = document.createElement("div");
    line.className = "tv-call";
    var number = document.createElement("span");
    number.className = "tv-call-number";
    number.textContent = call.number;
    var to = document.createElement("span");
    to.textContent = call.to;
    line.appendChild(number);
    line.appendChild(to);
    return line;
  }
  function poll() {
    fetch(calls.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var list = document.getElementById("tv-goi-so-list");
        list.replaceChildren.apply(list, data.calls.slice(0, 4).map(row));
        calls.hidden = data.calls.length === 0;
        document.querySelector(".tv-main").classList.toggle("with-calls", data.calls.length > 0);
      })
      .catch(function () {});
  }
  if (calls) { poll(); setInterval(poll, 3000); }
})();
