/* The fee of a case, live: the inputs marked data-fee-param ask the public API
   (data-fee-url) and the answer goes in [data-fee-amount], as "12.000 đồng". */
(function () {
  "use strict";
  var box = document.querySelector("[data-fee-url]");
  if (!box || !window.fetch) return;
  var out = box.querySelector("[data-fee-amount]");
  var inputs = document.querySelectorAll("[data-fee-param]");
  var timer = null;
  var asked = 0;

  function money(amount) {
    return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " đồng";
  }

  function show(text, failed) {
    out.textContent = text;
    out.classList.toggle("err", failed);
  }

  function ask() {
    var query = new URLSearchParams();
    inputs.forEach(function (input) {
      if ((input.type !== "radio" || input.checked) && input.value !== "") {
        query.set(input.getAttribute("data-fee-param"), input.value.trim());
      }
    });
    var mine = ++asked;
    fetch(box.getAttribute("data-fee-url") + "?" + query.toString(), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (mine !== asked) return;
          if (response.ok) show(money(data.amount), false);
          else show(data.detail || "Chưa tính được số tiền.", true);
        });
      })
      .catch(function () {
        if (mine === asked) show("Chưa tính được số tiền; vui lòng thử lại.", true);
      });
  }

  if (box.tagName === "FORM") {
    box.addEventListener("submit", function (event) {
      event.preventDefault();
      ask();
    });
  }
  inputs.forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    input.addEventListener("change", ask);
  });
})();
