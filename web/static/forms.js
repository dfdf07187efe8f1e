// Forms show that they are working: once a form is sent, its buttons are disabled and marked
// busy until the next page arrives, so a second click sends nothing. (The server does a
// change once anyway: the rota's forms carry what the page showed.)
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") {
    return;
  }
  // after the browser has read the form, so the button that sent it still counts
  window.setTimeout(function () {
    form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
  }, 0);
});

// Back to a page the browser kept: its buttons work again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("[aria-busy=true]").forEach(function (button) {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  });
});
