// Registers the service worker (sw.js, next to the page) relative to the page, so the app
// keeps working offline wherever the province hosts it; Trunk inlines this into index.html.
// When a new version has been installed in the background, it offers a reload; it never
// switches versions by itself, because the user may be in the middle of typing.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var asked = false;

  function offer(registration) {
    if (document.getElementById("phien-ban-moi")) return;
    var box = document.createElement("div");
    box.id = "phien-ban-moi";
    box.className = "update-prompt no-print";
    box.setAttribute("role", "status");
    document.body.appendChild(box);
    var text = document.createElement("span");
    text.textContent = "Có phiên bản mới của công cụ. Dữ liệu đã lưu trên máy không bị ảnh hưởng.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "primary";
    button.textContent = "Tải lại để dùng phiên bản mới";
    button.addEventListener("click", function () {
      asked = true;
      button.disabled = true;
      // Another tab may have activated it already: then a plain reload is enough.
      if (registration.waiting) registration.waiting.postMessage("kich-hoat-phien-ban-moi");
      else location.reload();
    });
    // Filled after insertion, so screen readers announce the live region's new content.
    setTimeout(function () {
      box.append(text, " ", button);
    }, 50);
  }

  function watch(registration) {
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration);
    registration.addEventListener("updatefound", function () {
      var worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", function () {
        // Without a controller this is the first install, not an update: nothing to offer.
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(registration);
      });
    });
  }

  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (asked) location.reload();
  });

  // Officials leave the tool open for days: look for a new version now and then, and when the
  // tab comes back into view, not only at the next page load.
  var CHECK_EVERY_MS = 60 * 60 * 1000;
  function keepChecking(registration) {
    function check() {
      if (navigator.onLine) registration.update().catch(function () {});
    }
    setInterval(check, CHECK_EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") check();
    });
  }

  function register() {
    navigator.serviceWorker.register("sw.js").then(function (registration) {
      // Some embedders (test drivers, kiosk policies) answer without a registration.
      if (!registration) return;
      watch(registration);
      keepChecking(registration);
    }, function (error) {
      // Offline use is a bonus: the app itself works without it (e.g. in private windows).
      console.warn("Không đăng ký được chế độ dùng khi không có mạng:", error);
    });
  }
  // Once the app has started: on a first visit the worker's downloads must not compete with
  // the app's own. Trunk's loader sets `wasmBindings` just before it says so.
  if (window.wasmBindings) register();
  else addEventListener("TrunkApplicationStarted", register, { once: true });
})();
