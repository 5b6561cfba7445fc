// How edge bundlers type a .wasm import: the compiled Module (see workerd.ts, edge-light.ts).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "*.wasm?module" {
  const module: WebAssembly.Module;
  export default module;
}
