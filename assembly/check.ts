// Checks over raw bytes and floats in linear memory, for validating checkpoints where
// their tensors have been copied: a CRC-32 and a scan for non-finite (or negative) values. In WebAssembly they cost microseconds where the same
// loops in JavaScript take milliseconds before the JIT warms up, which is the cold start
// of an edge function loading its model.

// CRC-32, IEEE 802.3 (the zlib/PNG polynomial 0xEDB88320), sliced by 8: table k maps a
// byte to its contribution k bytes further on, so eight bytes take one step. The 8 KB of
// tables are filled on first use rather than shipped in the .wasm.
const CRC_TABLES = memory.data(8 * 256 * 4, 16);
let crcReady = false;

function fillCrcTables(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    store<u32>(CRC_TABLES + (<usize>n << 2), c);
  }
  for (let k: u32 = 1; k < 8; k++) {
    for (let n: u32 = 0; n < 256; n++) {
      let prev = tab(k - 1, n);
      store<u32>(CRC_TABLES + ((<usize>k << 10) | (<usize>n << 2)), (prev >>> 8) ^ tab(0, prev));
    }
  }
  crcReady = true;
}

@inline function tab(k: u32, byte: u32): u32 {
  return load<u32>(CRC_TABLES + ((<usize>k << 10) | (<usize>(byte & 0xff) << 2)));
}

/** Continues a CRC-32 over len bytes at ptr (pass 0 to start). */
export function crc32(ptr: usize, len: i32, previous: u32): u32 {
  if (!crcReady) fillCrcTables();
  let c = ~previous;
  let i = 0;
  for (; i + 8 <= len; i += 8) {
    let p = ptr + <usize>i;
    let a = c ^ load<u32>(p);
    let b = load<u32>(p, 4);
    c = tab(7, a) ^ tab(6, a >>> 8) ^ tab(5, a >>> 16) ^ tab(4, a >>> 24)
      ^ tab(3, b) ^ tab(2, b >>> 8) ^ tab(1, b >>> 16) ^ tab(0, b >>> 24);
  }
  for (; i < len; i++) c = tab(0, c ^ <u32>load<u8>(ptr + <usize>i)) ^ (c >>> 8);
  return ~c;
}

/**
 * Index of the first of n f32 values at ptr that is NaN or ±Infinity (exponent all ones),
 * or, with `nonNegative`, below zero too; -1 if none.
 */
export function firstInvalid(ptr: usize, n: i32, nonNegative: bool): i32 {
  for (let i = 0; i < n; i++) {
    let bits = load<u32>(ptr + (<usize>i << 2));
    if ((bits & 0x7f800000) == 0x7f800000 || (nonNegative && load<f32>(ptr + (<usize>i << 2)) < 0)) return i;
  }
  return -1;
}
