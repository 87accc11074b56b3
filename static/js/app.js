// Buttek's behaviour layer: toasts, modals closing after htmx submits, copy-to-clipboard.
// Loaded from the layout (scripts in a boosted page's <head> do not run) and CSP-clean.
(function () {
  "use strict";

  function showToasts(root) {
    root.querySelectorAll("[data-toast]:not([data-shown])").forEach(function (el) {
      el.setAttribute("data-shown", "true");
      window.bootstrap.Toast.getOrCreateInstance(el, { delay: 5000 }).show();
      el.addEventListener("hidden.bs.toast", function () { el.remove(); });
    });
  }

  function toast(message, level) {
    var container = document.getElementById("toasts");
    if (!container) return;
    var el = document.createElement("div");
    el.className = "toast align-items-center border-0 text-bg-" + (level || "info");
    el.setAttribute("role", "status");
    el.setAttribute("data-toast", "");
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    el.appendChild(body);
    container.appendChild(el);
    showToasts(container);
  }

  document.addEventListener("DOMContentLoaded", function () {
    htmx.onLoad(function (root) { showToasts(document); });
    showToasts(document);
  });

  // A form inside a modal closes the modal once its htmx request succeeded.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form[data-close-modal]");
    if (form && event.detail.successful) {
      var modal = form.closest(".modal");
      if (modal) window.bootstrap.Modal.getOrCreateInstance(modal).hide();
    }
  });

  // Errors that htmx does not swap (4xx/5xx without a fragment) still tell the user something.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseText && xhr.responseText.indexOf("hx-swap-oob") !== -1) {
      htmx.swap("#toasts", xhr.responseText, { swapStyle: "none" });
      return;
    }
    toast("The request failed (" + (xhr ? xhr.status : "network") + "). Please try again.", "danger");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("The server could not be reached. Check your connection.", "danger");
  });

  // Click to copy: <button data-copy="text">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-copy]");
    if (!el) return;
    var text = el.getAttribute("data-copy");
    var done = function () { toast("Copied: " + text, "success"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { toast(text, "secondary"); });
    } else {
      toast(text, "secondary");
    }
  });
})();
