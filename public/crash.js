// The last line of defence. When the app stops — a Rust panic (release builds abort, so the
// WebAssembly instance is dead afterwards) or any uncaught error once it has started — the page
// is replaced by a Vietnamese error screen that still lets the user save everything stored in
// this browser. Plain DOM and localStorage only: nothing here may depend on the wasm module.
(function () {
  "use strict";
  // Dispatched by the panic hook, src/adapters/crash.rs, with the panic message as `detail`.
  var CRASH_EVENT = "xa-tre-em:su-co";
  // Every key of the app in localStorage starts with this (src/ui/state.rs, `keys::PREFIX`).
  var PREFIX = "xa-tre-em/";
  var started = false;
  var shown = false;

  function describe(value) {
    if (value && value.stack) return String(value.stack);
    if (value && value.message) return String(value.message);
    return String(value);
  }

  // Raw text of every entry, not parsed: an entry the app could not read is saved as it is.
  function storedEntries() {
    var entries = {};
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key !== null && key.indexOf(PREFIX) === 0) entries[key] = localStorage.getItem(key);
    }
    return entries;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function downloadAll(result) {
    try {
      var entries = storedEntries();
      var count = Object.keys(entries).length;
      var now = new Date();
      var file = {
        format: "xa-phu-hop-tre-em/du-lieu-tho",
        format_version: 1,
        exported_at: now.toISOString(),
        page: location.href,
        entries: entries,
      };
      var blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "xa-tre-em-du-lieu-" + now.getFullYear() + "-" + pad(now.getMonth() + 1) +
        "-" + pad(now.getDate()) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      result.textContent = count === 0
        ? "Không có dữ liệu nào được lưu trên máy này; tệp tải xuống không có mục nào."
        : "Đã tải xuống " + count + " mục dữ liệu. Hãy giữ tệp này cẩn thận.";
    } catch (e) {
      result.textContent = "Không tải xuống được dữ liệu (" + describe(e) + "). Đừng xóa dữ " +
        "liệu duyệt web của trình duyệt; hãy nhờ cán bộ kỹ thuật hỗ trợ.";
    }
  }

  function element(tag, props, children) {
    var el = document.createElement(tag);
    for (var name in props) el[name] = props[name];
    (children || []).forEach(function (child) {
      el.append(child);
    });
    return el;
  }

  function show(detail) {
    if (shown) return;
    shown = true;
    var result = element("p", { className: "crash-result" });
    result.setAttribute("role", "status");
    var save = element("button", { type: "button", className: "primary",
      textContent: "Tải xuống toàn bộ dữ liệu (JSON)" });
    save.addEventListener("click", function () {
      downloadAll(result);
    });
    var reload = element("button", { type: "button", textContent: "Tải lại trang" });
    reload.addEventListener("click", function () {
      location.reload();
    });
    var screen = element("main", { className: "crash" }, [
      element("h1", { id: "su-co-tieu-de", tabIndex: -1,
        textContent: "Công cụ gặp sự cố và đã dừng" }),
      element("p", { textContent: "Đã xảy ra một lỗi không lường trước nên công cụ không chạy " +
        "tiếp được. Những gì đã lưu trên máy này trước khi xảy ra lỗi vẫn còn nguyên." }),
      element("p", { textContent: "Hãy tải xuống toàn bộ dữ liệu để giữ an toàn, rồi tải lại " +
        "trang. Nếu lỗi lặp lại, hãy gửi tệp dữ liệu và phần chi tiết lỗi bên dưới cho cán bộ " +
        "phụ trách của tỉnh." }),
      element("div", { className: "actions" }, [save, reload]),
      result,
      element("details", {}, [
        element("summary", { textContent: "Chi tiết lỗi" }),
        element("pre", { className: "crash-detail", textContent: detail || "(không có mô tả)" }),
      ]),
    ]);
    document.title = "Công cụ gặp sự cố — Tự đánh giá xã, phường phù hợp với trẻ em";
    document.body.replaceChildren(screen);
    screen.querySelector("h1").focus();
  }

  addEventListener(CRASH_EVENT, function (event) {
    show(String(event.detail || ""));
  });
  // Before the app has started, boot.js explains failures to load; afterwards anything uncaught
  // means the screen may no longer match the data, so stopping cleanly is the honest answer.
  // Errors without an error object (ResizeObserver loop notices, for one) are not failures.
  addEventListener("TrunkApplicationStarted", function () {
    started = true;
  });
  addEventListener("error", function (event) {
    if (started && event.error) show(describe(event.error));
  });
  addEventListener("unhandledrejection", function (event) {
    if (started) show(describe(event.reason));
  });
})();
