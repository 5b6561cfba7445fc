// Shared by the PyTorch tests: reading a safetensors file as the tests see it (no minrnn
// code involved, so a test of the format does not trust the code under test), and
// running Debian's torch (/usr/bin/python3), which CI installs and a developer may lack.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The interpreter that has torch on Debian (`python3` first on PATH may be another one),
 * or MINRNN_TEST_PYTHON (a virtualenv's, say).
 */
export const PYTHON = process.env.MINRNN_TEST_PYTHON || (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

let available; // asked once per process: uvu runs every test file in one
/** Whether PYTHON imports torch; when it does not, says so for the test file `file`. */
export function hasTorch(file) {
  available ??= spawnSync(PYTHON, ["-c", "import torch, numpy"]).status === 0;
  if (!available) {
    console.log(`  skipped the PyTorch tests of ${file}: ${PYTHON} cannot import torch and numpy (apt-get install -y --no-install-recommends python3-torch libopenblas0-pthread; .ci/run does)`);
  }
  return available;
}

/** Runs PYTHON with `args`; returns { status, stdout, stderr }. */
export function python(args, options = {}) {
  const r = spawnSync(PYTHON, args, { encoding: "utf8", timeout: 300_000, ...options, env: { ...process.env, OMP_NUM_THREADS: "1", ...options.env } });
  if (r.error) throw r.error;
  return r;
}

/** { metadata, tensors: Map name → { shape, data: Float32Array, bytes: Uint8Array } } of a safetensors file. */
export function readSafetensors(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const metadata = header.__metadata__ ?? {};
  delete header.__metadata__;
  const data = bytes.subarray(8 + n);
  const tensors = new Map();
  for (const [name, e] of Object.entries(header)) {
    const raw = data.slice(e.data_offsets[0], e.data_offsets[1]);
    tensors.set(name, { shape: e.shape, bytes: raw, data: new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4) });
  }
  return { metadata, tensors };
}
