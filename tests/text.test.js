// Text indexing: the core's UTF-8 paths (assembly/text.ts, used once init() has run) and the
// JavaScript path (before init, and for errors) against a plain reference built on
// Array.from, which splits strings into code points.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { init, CharRNN, Vocab, MinrnnError } from "minrnn";
import { root } from "./helpers.js";

await init();

/** Distinct code points sorted, and each character's index among them. */
function reference(text) {
  const chars = Array.from(text);
  const symbols = [...new Set(chars)].sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
  const index = new Map(symbols.map((ch, i) => [ch, i]));
  return { symbols, indices: chars.map((ch) => index.get(ch)) };
}

/** A deterministic text mixing ASCII runs (the 16-byte SIMD path) with 2-, 3- and 4-byte UTF-8. */
function mixedText(length, seed, alphabet) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out = [];
  while (out.length < length) {
    const run = next() < 0.5 ? 1 + Math.floor(next() * 40) : 1;   // ASCII runs of 1-40 characters
    for (let k = 0; k < run; k++) out.push(String.fromCodePoint(next() < 0.8 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 32)));
    out.push(alphabet[Math.floor(next() * alphabet.length)]);
  }
  return out.join("");
}

const ALPHABET = ["é", "ß", "Ω", "ж", "€", "中", "文", "\u0301", "\uffff", "😀", "𝄞", "\u{10ffff}", "\u{1f600}", "\n", "\u007f", "\u0080", "\u07ff", "\u0800"];

function check(vocab, text, label) {
  const want = reference(text);
  assert.equal(vocab.chars, want.symbols, `${label}: symbols`);
  const got = vocab.encode(text);
  const width = vocab.size <= 256 ? 1 : vocab.size <= 65536 ? 2 : 4;
  assert.is(got.BYTES_PER_ELEMENT, width, `${label}: width`);
  assert.equal(Array.from(got), want.indices, `${label}: indices`);
  assert.is(vocab.decode(got), text, `${label}: round trip`);
}

test("the core's vocabulary and indices agree with a code-point reference: ASCII runs, every UTF-8 length, chunk edges", () => {
  for (const length of [0, 1, 15, 16, 17, 31, 32, 33, 100, 1000, 20000]) {
    for (const seed of [1, 2]) {
      const text = mixedText(length, seed * 7919 + length, ALPHABET);
      check(Vocab.fromText(text), text, `length ${length} seed ${seed}`);
    }
  }
  // Pure ASCII of every length around a chunk, and a text of all 128 ASCII code points.
  for (let n = 1; n <= 40; n++) {
    const text = "abcdefghijklmnopqrstuvwxyz0123456789ABCD".slice(0, n).repeat(3);
    check(Vocab.fromText(text), text, `ASCII ${n}`);
  }
  const allAscii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join("").repeat(2);
  check(Vocab.fromText(allAscii), allAscii, "all ASCII");
});

test("wide vocabularies: 2-byte indices past 256 symbols and 4-byte ones past 65,536", () => {
  const cjk = Array.from({ length: 600 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join("");
  const text16 = mixedText(5000, 3, Array.from(cjk));
  check(Vocab.fromText(text16), text16, "600 CJK");
  // Every scalar value from U+0000 up to 70,000 of them (surrogates skipped), then ASCII runs.
  const many = [];
  for (let cp = 0; many.length < 70000; cp++) if (cp < 0xd800 || cp > 0xdfff) many.push(String.fromCodePoint(cp));
  const text32 = many.join("") + "plain ASCII text after the wide part, long enough for chunks";
  check(Vocab.fromText(text32), text32, "70,000 symbols");
});

test("a vocabulary encodes a text made of some of its symbols; an unknown character is named", () => {
  const vocab = Vocab.fromText("abcdefghijklmnopqrstuvwxyz .é😀");
  const text = "the quick brown fox, é 😀".replace(",", "");
  assert.equal(Array.from(vocab.encode(text)), Array.from(text).map((ch) => vocab.indexOf(ch)));
  for (const bad of ["the quick brown fox jumps! over", "abc\u00e8", "x".repeat(40) + "Q" + "y".repeat(40), "😀🙂"]) {
    try {
      vocab.encode(bad);
      assert.unreachable(`expected an error for ${bad}`);
    } catch (e) {
      assert.instance(e, MinrnnError);
      assert.is(e.code, "INVALID_TEXT");
      assert.match(e.message, /characters not in the vocabulary: /);
      assert.match(e.message, bad.includes("!") ? /"!" \(U\+0021\)/ : bad.includes("Q") ? /"Q"/ : bad.includes("è") ? /U\+00E8/ : /U\+1F642/);
    }
  }
});

test("a lone surrogate is refused with its position (the core's path is not taken for it)", () => {
  try {
    Vocab.fromText("abc" + "d".repeat(30) + "\ud800" + "efg");
    assert.unreachable("expected an error");
  } catch (e) {
    assert.instance(e, MinrnnError);
    assert.match(e.message, /lone UTF-16 surrogate \(U\+D800\) at code point 33/);
  }
});

test("a new model takes over the scratch instance zeroed: the same bytes as from a fresh instance", () => {
  const run = () => {
    const m = CharRNN.create({ text: "the quick brown fox jumps over the lazy dog. ".repeat(4), hidden: 64, seed: 3 });
    m.train({ iterations: 40 });
    const bytes = Buffer.from(m.save()).toString("hex");
    m.dispose();
    return bytes;
  };
  const fresh = run();
  // Scratch work writes far past where the next model's weights, gradients and Adagrad sums go.
  const junk = "é中😀x".repeat(40000);
  Vocab.fromText(junk).encode(junk);
  assert.is(run(), fresh);
});

test("before init() the JavaScript path gives the same vocabulary and indices", () => {
  const script = `
    import { readFileSync } from "node:fs";
    import { Vocab } from "minrnn";
    const text = readFileSync(0, "utf8");
    const v = Vocab.fromText(text);
    console.log(JSON.stringify({ chars: v.chars, indices: Array.from(v.encode(text)) }));`;
  const text = mixedText(3000, 99, ALPHABET);
  const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, input: text, encoding: "utf8" }));
  const want = reference(text);
  assert.equal(out.chars, want.symbols);
  assert.equal(out.indices, want.indices);
});

test.run();
