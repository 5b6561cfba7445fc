// The type of `import wasm from "minrnn/minrnn.wasm"`, whatever the bundler makes of the
// file: its URL (esbuild's file loader, Rollup's URL plugin, webpack's asset/resource), its
// bytes (esbuild's binary loader) or a compiled Module (wrangler, Vercel Edge). Each is
// what `init({ module })` takes.
declare const wasm: string | Uint8Array | WebAssembly.Module;
export default wasm;
