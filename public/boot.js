// Runs before the WebAssembly module: turns a browser without WebAssembly, or a module that
// fails to load, into a message the user can act on instead of a page that spins forever.
(function () {
  "use strict";
  var started = false;
  function fail(text) {
    if (started) return;
    var box = document.getElementById("boot");
    var msg = document.getElementById("boot-message");
    if (!box || !msg) return;
    box.classList.add("boot-failed");
    box.setAttribute("role", "alert");
    msg.textContent = text;
  }
  if (typeof WebAssembly !== "object") {
    document.addEventListener("DOMContentLoaded", function () {
      fail("Trình duyệt này quá cũ, không hỗ trợ WebAssembly nên không chạy được công cụ. " +
        "Hãy dùng Chrome, Edge, Firefox hoặc Cốc Cốc bản mới.");
    });
    return;
  }
  addEventListener("TrunkApplicationStarted", function () { started = true; });
  function failedToLoad() {
    fail("Không tải được ứng dụng (có thể do mạng yếu hoặc bị ngắt). " +
      "Hãy kiểm tra kết nối rồi tải lại trang. Dữ liệu đã lưu trên máy không bị mất.");
  }
  // Chromium reports a rejected top-level await of Trunk's module loader as an error event,
  // other browsers as an unhandled rejection.
  addEventListener("unhandledrejection", failedToLoad);
  addEventListener("error", failedToLoad);
})();
