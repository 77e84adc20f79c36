// Writes tests/vectors/jcs-numbers.txt: doubles of every magnitude and shape, each with the text
// ECMAScript's Number.prototype.toString gives it (the number form RFC 8785 prescribes), for the
// Rust canonicalizer to be held to the engine that defines it. Deterministic.
// Usage: node scripts/jcs-numbers.mjs > tests/vectors/jcs-numbers.txt
const view = new DataView(new ArrayBuffer(8));
const bitsOf = (x) => {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
};
let seed = 0x9e3779b9;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const numbers = new Set();
const add = (x) => Number.isFinite(x) && numbers.add(x);
// Any bit pattern: every exponent, subnormals included.
for (let i = 0; i < 4000; i++) {
  view.setUint32(0, Math.floor(random() * 2 ** 32));
  view.setUint32(4, Math.floor(random() * 2 ** 32));
  add(view.getFloat64(0));
}
// Where the layout changes: around 1e-7, 1e-6, 1e21, and powers of ten everywhere.
for (let e = -324; e <= 308; e++) {
  for (const m of [1, 1.5, 2.5, 9.999999999999998, 123456789]) add(m * 10 ** e);
  add(Number(`1e${e}`));
}
// Everyday figures: counts, shares, points, times in milliseconds, with a few decimals.
for (let i = 0; i < 3000; i++) {
  add(Math.floor(random() * 10 ** Math.floor(random() * 16)));
  add(Number((random() * 1000).toFixed(Math.floor(random() * 6))));
  add(-Number((random() * 10 ** Math.floor(random() * 25)).toPrecision(1 + Math.floor(random() * 17))));
}
for (const x of [0, Number.MIN_VALUE, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 53 + 2, 0.1 + 0.2, 1 / 3]) add(x);
const lines = [...numbers].map((x) => `${bitsOf(x)} ${String(x)}`).sort();
process.stdout.write(`# bits of an IEEE 754 double, then String(x) in Node.js ${process.version}\n${lines.join("\n")}\n`);
