// How the build (esbuild's text loader) hands over a .txt import: its content (see corpus.ts).
declare module "*.txt" {
  const text: string;
  export default text;
}
