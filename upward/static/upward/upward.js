// Small progressive enhancements. Every form works without this file.
// Loaded from a static file because the Content Security Policy forbids
// inline scripts and inline event handlers.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // <select data-autosubmit> submits its form as soon as it changes.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
      if (target.form) {
        target.form.requestSubmit();
      }
    }
  });

  // <button data-copy="#id"> copies the text of the element it points at.
  function setUpCopyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.querySelector(button.getAttribute("data-copy"));
        var status = document.querySelector(button.getAttribute("data-copy-status"));
        if (!source) {
          return;
        }
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) {
            status.textContent = "Copied.";
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons(document);
  });
})();
