// A text's vocabulary and its indices, from its UTF-8 bytes (the host's TextEncoder output
// of a well-formed string, so every sequence is valid). On a cold start these loops ran in
// JavaScript's interpreter at about 100 ns a character, most of create() on a real text.
//
// Runs of 16 ASCII bytes go through SIMD paths. Besides being faster, they keep a cold
// start in V8's baseline tier: its tier-up budget counts the bytes of loop bodies run, and
// a call that passes it (a per-character loop over a 30 KB text did) triggers an optimizing
// compile that made the first call about four times slower.

import { MAX_SYMBOLS } from "./layout";

/** Scratch bytes textSymbols needs after its output: a bit per code point, a byte per ASCII one. */
export const SEEN_BYTES: i32 = (0x110000 >> 3) + 128;
/** Scratch bytes textIndices needs: an i32 per code point below U+10000, a byte per ASCII one. */
export const TABLE_BYTES: i32 = (0x10000 << 2) + 128;

/** The code point starting at src[i] and its length in bytes, packed as cp | len << 21. */
@inline function decode(src: usize, i: i32): u32 {
  let b0 = <u32>load<u8>(src + <usize>i);
  if (b0 < 0x80) return b0 | 1 << 21;
  let b1 = <u32>load<u8>(src + <usize>i, 1) & 0x3f;
  if (b0 < 0xe0) return ((b0 & 0x1f) << 6 | b1) | 2 << 21;
  let b2 = <u32>load<u8>(src + <usize>i, 2) & 0x3f;
  if (b0 < 0xf0) return ((b0 & 0x0f) << 12 | b1 << 6 | b2) | 3 << 21;
  let b3 = <u32>load<u8>(src + <usize>i, 3) & 0x3f;
  return ((b0 & 0x07) << 18 | b1 << 12 | b2 << 6 | b3) | 4 << 21;
}

/** Whether the 16 bytes at p are all ASCII. */
@inline function ascii16(p: usize): bool { return i8x16.bitmask(v128.load(p)) == 0; }

/**
 * The distinct code points of the UTF-8 text at src [len bytes], as u32 at out (in no
 * particular order); returns their count.
 * seen: 136 KB + 128 bytes of scratch: a bit per code point up to U+10FFFF (a list lookup
 * for code points above U+FFFF made a text of many of them quadratic), then a byte per
 * ASCII code point. Stops as soon as there are more than MAX_SYMBOLS, a vocabulary the
 * host refuses: it returns that count without reading the rest of the text.
 */
export function textSymbols(src: usize, len: i32, seen: usize, out: usize): i32 {
  let asciiSeen = seen + (0x110000 >> 3);
  memory.fill(seen, 0, (0x110000 >> 3) + 128);
  let count = 0;
  let i = 0;
  while (i < len) {
    if (i + 16 <= len && ascii16(src + <usize>i)) {   // 16 ASCII bytes: mark them, list them after the loop
      let p = src + <usize>i;
      for (let k: usize = 0; k < 16; k++) store<u8>(asciiSeen + <usize>load<u8>(p + k), 1);
      i += 16;
      continue;
    }
    let d = decode(src, i);
    let cp = d & 0x1fffff;
    i += <i32>(d >> 21);
    if (cp < 0x80) {
      store<u8>(asciiSeen + cp, 1);
    } else {
      let word = seen + (<usize>(cp >> 5) << 2), bit: u32 = 1 << (cp & 31);
      let w = load<u32>(word);
      if (!(w & bit)) {
        store<u32>(word, w | bit);
        store<u32>(out + (<usize>count << 2), cp);
        if (++count > MAX_SYMBOLS) return count;
      }
    }
  }
  for (let cp: u32 = 0; cp < 128; cp++) {           // ASCII, marked a byte each, listed now
    if (load<u8>(asciiSeen + cp)) { store<u32>(out + (<usize>count << 2), cp); count++; }
  }
  return count;
}

/**
 * The UTF-8 text at src [len bytes] as indices into `symbols` [count] (u32 code points,
 * strictly increasing), written at dst with 1 << shift bytes each. Returns how many, or
 * -1 at the first code point that is not a symbol (the host then names them).
 * table: scratch for one i32 per code point up to the largest symbol below U+10000
 * (code points above are found by binary search), then 128 bytes for ASCII's indices.
 */
export function textIndices(src: usize, len: i32, symbols: usize, count: i32, table: usize, dst: usize, shift: i32): i32 {
  let bmp = 0;                                       // symbols below U+10000: the first `bmp`
  while (bmp < count && load<u32>(symbols + (<usize>bmp << 2)) < 0x10000) bmp++;
  let tableLen = bmp > 0 ? <i32>load<u32>(symbols + (<usize>(bmp - 1) << 2)) + 1 : 0;
  memory.fill(table, 0xff, <usize>tableLen << 2);    // -1: not a symbol
  for (let k = 0; k < bmp; k++) store<i32>(table + (<usize>load<u32>(symbols + (<usize>k << 2)) << 2), k);
  // ASCII's indices as bytes, 0xFF where not a symbol: sorted by code point, ASCII symbols
  // come first, so their indices are below 128.
  let ascii = table + (<usize>max(tableLen, 128) << 2);
  for (let cp = 0; cp < 128; cp++) store<u8>(ascii + <usize>cp, cp < tableLen ? <u8>load<i32>(table + (<usize>cp << 2)) : 0xff);
  let t0 = v128.load(ascii), t1 = v128.load(ascii, 16), t2 = v128.load(ascii, 32), t3 = v128.load(ascii, 48);
  let t4 = v128.load(ascii, 64), t5 = v128.load(ascii, 80), t6 = v128.load(ascii, 96), t7 = v128.load(ascii, 112);
  let unknown = i8x16.splat(-1);
  let n = 0;
  let i = 0;
  while (i < len) {
    if (i + 16 <= len && ascii16(src + <usize>i)) {
      // 16 table lookups by swizzle: lane b of chunk k is looked up in t_k at b - 16k;
      // swizzle gives 0 for the other chunks' lanes (out of 0..15), so the ORs combine them.
      let b = v128.load(src + <usize>i), sixteen = i8x16.splat(16);
      let r = i8x16.swizzle(t0, b);
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t1, b));
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t2, b));
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t3, b));
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t4, b));
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t5, b));
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t6, b));
      b = i8x16.sub(b, sixteen); r = v128.or(r, i8x16.swizzle(t7, b));
      if (v128.any_true(i8x16.eq(r, unknown))) return -1;
      storeIndices16(dst, n, r, shift);
      n += 16;
      i += 16;
      continue;
    }
    let d = decode(src, i);
    let cp = <i32>(d & 0x1fffff);
    i += <i32>(d >> 21);
    let index = cp < tableLen ? load<i32>(table + (<usize>cp << 2)) : cp < 0x10000 ? -1 : astralIndex(symbols, bmp, count, cp);
    if (index < 0) return -1;
    if (shift == 0) store<u8>(dst + <usize>n, index);
    else if (shift == 1) store<u16>(dst + (<usize>n << 1), index);
    else store<u32>(dst + (<usize>n << 2), index);
    n++;
  }
  return n;
}

/** Sixteen byte-sized indices r to dst[n..n+16), widened to 1 << shift bytes each. */
@inline function storeIndices16(dst: usize, n: i32, r: v128, shift: i32): void {
  let p = dst + (<usize>n << shift);
  if (shift == 0) {
    v128.store(p, r);
    return;
  }
  let lo = i16x8.extend_low_i8x16_u(r), hi = i16x8.extend_high_i8x16_u(r);
  if (shift == 1) {
    v128.store(p, lo);
    v128.store(p, hi, 16);
    return;
  }
  v128.store(p, i32x4.extend_low_i16x8_u(lo));
  v128.store(p, i32x4.extend_high_i16x8_u(lo), 16);
  v128.store(p, i32x4.extend_low_i16x8_u(hi), 32);
  v128.store(p, i32x4.extend_high_i16x8_u(hi), 48);
}

/** The index of cp among symbols[lo, hi) (sorted), or -1. */
function astralIndex(symbols: usize, lo: i32, hi: i32, cp: i32): i32 {
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    let s = <i32>load<u32>(symbols + (<usize>mid << 2));
    if (s == cp) return mid;
    if (s < cp) lo = mid + 1; else hi = mid;
  }
  return -1;
}
