// The last line of defence. When the app stops — a Rust panic (release builds abort, so the
// WebAssembly instance is dead afterwards) or any uncaught error once it has started — the page
// is replaced by a Vietnamese error screen that still lets the user save everything stored in
// this browser, and the edits not yet stored. Plain DOM, localStorage and IndexedDB only:
// nothing here may depend on the wasm module.
(function () {
  "use strict";
  // Dispatched by the panic hook, src/adapters/crash.rs, with the panic message as `detail`.
  var CRASH_EVENT = "xa-tre-em:su-co";
  // Every key of the app in localStorage starts with this (src/domain/legacy.rs, `keys::PREFIX`).
  var PREFIX = "xa-tre-em/";
  // The app's IndexedDB database (src/domain/store.rs, `DB_NAME`).
  var DB_NAME = "xa-tre-em";
  // Edits not yet committed, mirrored by the app (src/adapters/crash.rs, `UNSAVED_GLOBAL`).
  var UNSAVED = "xaTreEmChuaLuu";
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

  function request(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () {
        resolve(r.result);
      };
      r.onerror = function () {
        reject(r.error);
      };
    });
  }

  // Every store of the database, raw: {store: {key: text}}. Keys of change records, [id, n],
  // are written "id/n". Never creates the database where there is none.
  function indexedEntries() {
    if (typeof indexedDB === "undefined") return Promise.resolve({});
    var listed = indexedDB.databases ? indexedDB.databases() : Promise.resolve([{ name: DB_NAME }]);
    return listed.then(function (dbs) {
      if (!dbs.some(function (d) { return d.name === DB_NAME; })) return {};
      return request(indexedDB.open(DB_NAME)).then(function (db) {
        var out = {};
        var names = Array.prototype.slice.call(db.objectStoreNames);
        return Promise.all(names.map(function (name) {
          var store = db.transaction(name).objectStore(name);
          return Promise.all([request(store.getAllKeys()), request(store.getAll())]).then(function (kv) {
            var entries = {};
            kv[0].forEach(function (key, i) {
              entries[Array.isArray(key) ? key.join("/") : String(key)] = kv[1][i];
            });
            out[name] = entries;
          });
        })).then(function () {
          db.close();
          return out;
        });
      });
    });
  }

  // What the app held in memory only: its edits not yet stored, as change records (JSON).
  function unsavedEdits() {
    var mirror = window[UNSAVED] || {};
    var out = {};
    Object.keys(mirror).forEach(function (key) {
      out[key] = mirror[key];
    });
    return out;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function count(stores) {
    return Object.keys(stores).reduce(function (n, name) {
      return n + Object.keys(stores[name]).length;
    }, 0);
  }

  function downloadAll(result) {
    result.textContent = "Đang gom dữ liệu…";
    var unsaved = unsavedEdits();
    // However IndexedDB answers (or not, within 5 s), what localStorage and memory hold is saved.
    var timeout = new Promise(function (resolve) {
      setTimeout(function () {
        resolve({ loi: "IndexedDB không trả lời" });
      }, 5000);
    });
    Promise.race([indexedEntries(), timeout]).catch(function (e) {
      return { loi: describe(e) };
    }).then(function (indexed) {
      save(result, indexed, unsaved);
    });
  }

  function save(result, indexed, unsaved) {
    try {
      var entries = storedEntries();
      var total = Object.keys(entries).length + Object.keys(unsaved).length +
        (indexed.loi ? 0 : count(indexed));
      var now = new Date();
      var file = {
        format: "xa-phu-hop-tre-em/du-lieu-tho",
        format_version: 2,
        exported_at: now.toISOString(),
        page: location.href,
        entries: entries,
        indexeddb: indexed,
        unsaved: unsaved,
      };
      var blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "xa-tre-em-du-lieu-" + now.getFullYear() + "-" + pad(now.getMonth() + 1) +
        "-" + pad(now.getDate()) + ".json";
      document.body.appendChild(link);
      link.click();
      link.remove();
      result.textContent = total === 0
        ? "Không có dữ liệu nào được lưu trên máy này; tệp tải xuống không có mục nào."
        : "Đã tải xuống " + total + " mục dữ liệu" +
          (Object.keys(unsaved).length ? ", gồm cả các thay đổi chưa kịp lưu" : "") +
          ". Hãy giữ tệp này cẩn thận.";
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
