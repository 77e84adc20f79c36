// Realistic exchange files (format version 2, docs/exchange-format.md) for the end-to-end tests
// and the benchmarks: real commune codes and names from public/data/divisions.json, plausible
// answers to the built-in QĐ 06 set (public/criteria/qd-06-2019.json), the score the app
// computes, and each record's SHA-256 over its RFC 8785 form as the specification defines it
// (JavaScript's own JSON.stringify of key-sorted objects is that form). Deterministic for a
// given seed.
//
// The score is worked out here independently of the Rust engine (only the rule kinds of the
// built-in set), so a test comparing the dashboard's counts with `expected` checks the engine;
// a wrong checksum makes the app refuse the file, so the tests also check the checksum code.
//
// Usage: node scripts/gen-files.mjs <dir> [count=3321] [seed=1]
// As a module: generate(), makeAssessment(), exchangeFile(), recordChecksum().
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
export const SET = JSON.parse(readFileSync(join(ROOT, "public/criteria/qd-06-2019.json"), "utf8"));
const DIVISIONS = JSON.parse(readFileSync(join(ROOT, "public/data/divisions.json"), "utf8"));

/** Every official unit: { code, name, province_code, province_name, kind, central }. */
export const COMMUNES = DIVISIONS.provinces.flatMap((p) =>
  p.communes.map(([code, kind, short]) => ({
    code,
    name: `${{ x: "Xã", p: "Phường", d: "Đặc khu" }[kind]} ${short}`,
    province_code: p.code,
    province_name: p.name,
    kind,
    central: p.type === "thành phố trung ương",
  })),
);

/** Maxima the synthetic assessors record for the criteria the set leaves open (sum 1,000). */
const RECORDED_MAX = { 2: 75, 3: 75, 4: 75, 5: 75, 8: 75, 9: 75, 10: 75, 11: 75, 12: 75, 13: 50 };
const VERDICT_LABEL = { pass: "Đạt", fail: "Chưa đạt", incomplete: "Chưa đủ dữ liệu" };

/** mulberry32: small, fast, good enough for test data. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answer(fields = {}) {
  return {
    yes: null,
    numerator: null,
    denominator: null,
    count: null,
    manual_points: null,
    source: "",
    explanation: "",
    checked: false,
    ...fields,
  };
}

/**
 * One plausible assessment of `commune` for `year`. `rand` drives every choice; `quality` in
 * [0, 1] moves the answers towards full marks.
 */
export function makeAssessment(commune, { year = 2025, rand = random(1), quality } = {}) {
  const q = quality ?? 0.55 + 0.45 * rand();
  const category = commune.kind === "p" && commune.central
    ? "phuong-thanh-pho-tw"
    : commune.kind !== "p" && rand() < 0.3
      ? "mien-nui-hai-dao-dbkk"
      : "con-lai";
  const recordsMax = rand() < 0.85;
  const answers = {};
  const share = (max) => Math.max(0, Math.min(max, Math.round(max * (q + (rand() - 0.5) * 0.2))));
  for (const id of ["1.1", "1.2", "1.3"]) answers[id] = answer({ yes: rand() < q + 0.1 });
  answers["1.4"] = answer({ manual_points: share(20) });
  // Rates: whole counts; below the band, the assessor's points (at most the band's).
  const rate = (id, low, high, minRate, band) => {
    const d = low + Math.floor(rand() * (high - low + 1));
    if (d === 0) return (answers[id] = answer({ numerator: 0, denominator: 0, manual_points: band.points }));
    const n = Math.min(d, Math.round(d * (minRate + (1 - minRate) * Math.min(1, q + rand() * 0.3))));
    const reached = (n * 100) / d >= band.min;
    answers[id] = answer({
      numerator: n,
      denominator: d,
      manual_points: reached ? null : Math.round(band.points * (n / d) * 0.5),
    });
  };
  rate("6.1", 20, 200, 0.85, { min: 95, points: 50 });
  rate("6.2", 0, 5, 0.5, { min: 100, points: 75 });
  rate("7.1", 30, 300, 0.9, { min: 98, points: 50 });
  const zeroCriterion = rand() < 0.06 ? String(2 + Math.floor(rand() * 4)) : null;
  const missing = rand() < 0.07 ? "12.1" : null;
  for (const [criterion, max] of Object.entries(RECORDED_MAX)) {
    const id = `${criterion}.1`;
    const points = criterion === zeroCriterion ? 0 : share(max);
    answers[id] = answer({ manual_points: id === missing ? null : points });
  }
  for (const [i, a] of Object.values(answers).entries()) {
    a.source = ["Báo cáo của UBND xã", "Sổ theo dõi trẻ em", "Số liệu trạm y tế"][i % 3];
    a.checked = rand() < 0.8;
  }
  const updated = Date.UTC(year, 9, 1) + Math.floor(rand() * 60 * 86_400_000);
  return {
    id: `${Math.floor(rand() * 2 ** 32).toString(16)}${Math.floor(rand() * 2 ** 16).toString(16)}`,
    criteria_set: { id: SET.id, version: SET.version },
    commune: {
      code: commune.code,
      name: commune.name,
      province_code: commune.province_code,
      province_name: commune.province_name,
    },
    unit_category: category,
    year,
    assessor: { name: "Nguyễn Thị Hoa", position: "Công chức văn hóa - xã hội" },
    answers,
    recorded_max: recordsMax ? { ...RECORDED_MAX } : {},
    created_at: updated - 20 * 86_400_000,
    updated_at: updated,
  };
}

/** The score as src/domain/scoring.rs computes it, for the rule kinds of the built-in set. */
export function scoreOf(a) {
  let missing = 0;
  let invalid = 0;
  let answered = 0;
  let zero = false;
  const whole = (x) => Number.isInteger(x) && x >= 0;
  const manual = (p, ceiling) => (p == null ? "missing" : whole(p) && (ceiling == null || p <= ceiling) ? p : "invalid");
  const criteria = SET.criteria.map((c) => {
    const max = c.max_points ?? a.recorded_max[c.id] ?? null;
    const ruleMax = (r) => (r.kind === "yes_no" ? r.points : r.kind === "manual" ? r.max : Math.max(...r.bands.map((b) => b.points)));
    let points = 0;
    let scored = false;
    for (const item of c.items) {
      const r = item.rule;
      const ans = a.answers[item.id] ?? answer();
      const others = c.items.filter((o) => o !== item).reduce((s, o) => s + (ruleMax(o.rule) ?? 0), 0);
      const itemMax = ruleMax(r) ?? (r.kind === "manual" && max != null ? Math.max(0, max - others) : null);
      let outcome;
      if (r.kind === "yes_no") outcome = ans.yes == null ? "missing" : ans.yes ? r.points : 0;
      else if (r.kind === "manual") outcome = manual(ans.manual_points, itemMax);
      else if (r.kind === "rate") {
        const { numerator: n, denominator: d } = ans;
        if (n == null || d == null) outcome = "missing";
        else if (!whole(n) || !whole(d) || n > d) outcome = "invalid";
        else if (d === 0) outcome = manual(ans.manual_points, itemMax);
        else {
          const band = r.bands.filter((b) => (n * 100) / d >= b.min).at(-1);
          outcome = band ? band.points : manual(ans.manual_points, Math.min(...r.bands.map((b) => b.points)));
        }
      } else throw new Error(`rule ${r.kind} is not used by the built-in set`);
      if (outcome === "missing") missing++;
      else if (outcome === "invalid") invalid++;
      else {
        answered++;
        scored = true;
        points += outcome;
      }
    }
    if (scored && points === 0) zero = true;
    return { id: c.id, points, max };
  });
  const total = criteria.reduce((s, c) => s + c.points, 0);
  const threshold = SET.unit_categories.find((u) => u.id === a.unit_category)?.min_total ?? null;
  const verdict = missing || invalid || threshold == null ? "incomplete" : zero || total < threshold ? "fail" : "pass";
  return {
    total,
    threshold,
    verdict,
    verdict_label: VERDICT_LABEL[verdict],
    answered,
    item_count: SET.criteria.reduce((s, c) => s + c.items.length, 0),
    criteria,
  };
}

/** RFC 8785: members sorted by UTF-16 code units (what `sort()` compares), no whitespace,
 * strings and numbers as JSON.stringify writes them (ECMAScript's Number::toString). */
export function canonical(value) {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const names = Object.keys(value).sort();
  return `{${names.map((n) => `${JSON.stringify(n)}:${canonical(value[n])}`).join(",")}}`;
}

export function recordChecksum(record) {
  const { sha256: _, ...rest } = record;
  return createHash("sha256").update(canonical(rest), "utf8").digest("hex");
}

/** A record on one line as the app writes it in a consolidated file: its checksum first, then
 * the rest of the record in the canonical form the checksum is computed on. */
export function recordLine(record) {
  const { sha256, ...rest } = record;
  return `{"sha256":${JSON.stringify(sha256)},${canonical(rest).slice(1)}`;
}

/** The assessment as a version 2 record holds it: times as RFC 3339 text. */
function wire(assessment) {
  return {
    ...assessment,
    created_at: new Date(assessment.created_at).toISOString(),
    updated_at: new Date(assessment.updated_at).toISOString(),
  };
}

/** A record with its score and checksum, as the app exports it. */
export function record(assessment, revision = 1, score = scoreOf(assessment)) {
  const r = { sha256: "", revision, assessment: wire(assessment), score };
  r.sha256 = recordChecksum(r);
  return r;
}

/** The text of an exchange file holding `assessments` (records are made for them). */
export function exchangeFile(assessments, { exportedAt = Date.UTC(2025, 11, 1, 2, 30), revision = 3 } = {}) {
  const file = {
    format: "xa-phu-hop-tre-em/tu-danh-gia",
    format_version: 2,
    app_version: "0.1.0",
    exported_at: new Date(exportedAt).toISOString(),
    assessments: assessments.map((a) => record(a, revision)),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * One large file: a province's consolidated file (docs/exchange-format.md §9) of `records`
 * assessments (each commune for every one of `years`, as many communes as needed), each record
 * on one line
 * as the app writes them there, members with nothing in them left out, with explanations long
 * enough for the text to weigh about `bytes`. Returns { text, assessments }.
 */
export function bigFile({ records = 5000, bytes = 19 * 1024 * 1024, seed = 3, years = [2024, 2025] } = {}) {
  const rand = random(seed);
  const communes = COMMUNES.slice(0, Math.ceil(records / years.length));
  const drop = (v) => JSON.parse(JSON.stringify(v, (_, x) => (x === null || x === "" || x === false ? undefined : x)));
  const assessments = [];
  for (const year of years) for (const c of communes) if (assessments.length < records) assessments.push(makeAssessment(c, { year, rand }));
  const write = () => {
    const head = {
      format: "xa-phu-hop-tre-em/tu-danh-gia",
      format_version: 2,
      app_version: "0.1.0",
      exported_at: new Date(Date.UTC(2025, 11, 1, 2, 30)).toISOString(),
      consolidated: { province_code: "01", province_name: "Thành phố Hà Nội", made_by: { name: "Lê Văn Tâm" } },
    };
    const lines = assessments.map((a) => recordLine(record(drop(a), 3)));
    return `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "assessments": [\n    ${lines.join(",\n    ")}\n  ]\n}\n`;
  };
  const plain = write();
  // The rest of the weight in the explanations of the 17 answers of each record.
  const sentence = "Đã đối chiếu với sổ theo dõi của UBND xã; ";
  // Each answer gains `"explanation":"…",` around its text.
  const perAnswer = Math.max(0, (bytes - Buffer.byteLength(plain)) / records / 17 - 17);
  const chars = Math.floor((perAnswer * sentence.length) / Buffer.byteLength(sentence));
  const note = sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
  for (const a of assessments) for (const ans of Object.values(a.answers)) ans.explanation = note;
  return { text: write(), assessments };
}

/**
 * `count` files of different communes (spread over the provinces), one assessment each:
 * [{ name, text, expected: { code, total, verdict } }].
 */
export function generate({ count = COMMUNES.length, seed = 1, year = 2025 } = {}) {
  const rand = random(seed);
  const step = COMMUNES.length / Math.min(count, COMMUNES.length);
  return Array.from({ length: Math.min(count, COMMUNES.length) }, (_, i) => {
    const commune = COMMUNES[Math.floor(i * step)];
    const a = makeAssessment(commune, { year, rand });
    const score = scoreOf(a);
    return {
      name: `tu-danh-gia_${commune.code}_${year}.json`,
      text: exchangeFile([a]),
      expected: { code: commune.code, total: score.total, verdict: score.verdict },
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count = "3321", seed = "1"] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node scripts/gen-files.mjs <dir> [count=3321] [seed=1]");
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  const files = generate({ count: Number(count), seed: Number(seed) });
  for (const f of files) writeFileSync(join(dir, f.name), f.text);
  const by = (v) => files.filter((f) => f.expected.verdict === v).length;
  console.log(
    `${files.length} files in ${dir}: ${by("pass")} đạt, ${by("fail")} chưa đạt, ${by("incomplete")} chưa đủ dữ liệu`,
  );
}
