// What the app has stored, read from the page the way a person with the browser's developer
// tools would: the IndexedDB database "xa-tre-em" (snapshots, change records, backups…) and the
// app's localStorage keys. Assessments are rebuilt from their snapshot and the change records
// after it (src/domain/journal.rs), independently of the app's code.

/** Every store of the database (and the app's localStorage keys), raw: `{store: {key: text}}`. */
export function storeDump(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open("xa-tre-em");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out = {};
    for (const name of db.objectStoreNames) {
      const tx = db.transaction(name);
      const store = tx.objectStore(name);
      const [keys, values] = await Promise.all(
        [store.getAllKeys(), store.getAll()].map(
          (r) => new Promise((resolve, reject) => {
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          }),
        ),
      );
      out[name] = Object.fromEntries(keys.map((k, i) => [Array.isArray(k) ? k.join("/") : k, values[i]]));
    }
    db.close();
    out.localStorage = Object.fromEntries(
      Object.keys(localStorage)
        .filter((k) => k.startsWith("xa-tre-em/"))
        .sort()
        .map((k) => [k, localStorage.getItem(k)]),
    );
    return out;
  });
}

/** A change record applied to a document (a JSON value). */
function apply(doc, change) {
  const parentOf = (path) => {
    let here = doc;
    for (const key of path.slice(0, -1)) here = here[key] ??= {};
    return [here, path[path.length - 1]];
  };
  switch (change.kind) {
    case "replace":
      return structuredClone(change.doc);
    case "set": {
      const [parent, key] = parentOf(change.path);
      if ("new" in change) parent[key] = change.new;
      else delete parent[key];
      return doc;
    }
    case "splice": {
      const [parent, key] = parentOf(change.path);
      // Offsets count UTF-8 bytes.
      const bytes = new TextEncoder().encode(parent[key] ?? "");
      const removed = new TextEncoder().encode(change.removed).length;
      const inserted = new TextEncoder().encode(change.inserted);
      const next = new Uint8Array(bytes.length - removed + inserted.length);
      next.set(bytes.subarray(0, change.at), 0);
      next.set(inserted, change.at);
      next.set(bytes.subarray(change.at + removed), change.at + inserted.length);
      parent[key] = new TextDecoder().decode(next);
      return doc;
    }
    default:
      return doc;
  }
}

/** The assessments as the app would show them: `{revision, updated_at, last_exported_at,
 * deleted, assessment}`, newest first. */
export async function storedAssessments(page, { withDeleted = false } = {}) {
  const dump = await storeDump(page);
  const records = {};
  for (const [key, text] of Object.entries(dump["danh-gia-thay-doi"] ?? {})) {
    const record = JSON.parse(text);
    (records[record.doc] ??= []).push(record);
  }
  const out = [];
  for (const [id, text] of Object.entries(dump["danh-gia"] ?? {})) {
    const snapshot = JSON.parse(text);
    let doc = structuredClone(snapshot.doc);
    let revision = snapshot.seq;
    let updated = snapshot.updated_at;
    let deleted = snapshot.deleted_at ?? null;
    const after = (records[id] ?? []).filter((r) => r.seq > snapshot.seq).sort((a, b) => a.seq - b.seq);
    for (const r of after) {
      doc = apply(doc, r.change);
      revision = r.seq;
      updated = r.change.kind === "replace" && r.change.edited_at != null ? r.change.edited_at : r.at;
      if (r.change.kind === "delete") deleted = r.at;
      if (r.change.kind === "restore") deleted = null;
    }
    if (deleted !== null && !withDeleted) continue;
    const mark = dump["da-xuat"]?.[id];
    out.push({
      revision,
      updated_at: updated,
      last_exported_at: mark ? JSON.parse(mark).at : null,
      deleted: deleted !== null,
      assessment: { ...doc, updated_at: updated },
    });
  }
  return out.sort((a, b) => b.updated_at - a.updated_at);
}

/** The backups (whole copies kept aside), parsed. */
export async function storedBackups(page) {
  const dump = await storeDump(page);
  return Object.values(dump["sao-luu"] ?? {}).map((text) => JSON.parse(text));
}

/** Waits until `check()` (async) returns something truthy; returns it. */
export async function eventually(check, { timeout = 10_000, message = "condition" } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Holds `store` with a transaction of the page's own that never ends until `release()`: every
 * write of the app to it waits behind, as a slow disk or a busy phone would make it wait. A
 * read-write hold makes the app's reads wait too; a read-only one lets them through.
 */
export async function holdStore(page, store, mode = "readwrite") {
  await page.evaluate(
    ([name, mode]) =>
      new Promise((resolve, reject) => {
        const r = indexedDB.open("xa-tre-em");
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const held = r.result.transaction([name], mode).objectStore(name);
          const spin = () => {
            if (!window.__releaseHeldStore) held.count().onsuccess = spin;
          };
          spin();
          resolve();
        };
      }),
    [store, mode],
  );
  return () => page.evaluate(() => (window.__releaseHeldStore = true));
}
