// Bundles the console (src/main.js and what it imports) into hashed, minified files and writes
// index.html pointing at them. Output: console/dist/ (git-ignored), which the plugin's pom adds to
// the service's classpath as io/nsl/console/. Run by scripts/build-console.sh (./nsl and
// ./nsl test call it); `node build.mjs --out DIR` writes elsewhere.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : join(here, 'dist');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: [join(here, 'src/main.js')],
  bundle: true,
  minify: true,
  splitting: true, // the editor (CodeMirror) is a chunk loaded by the playground only
  format: 'esm',
  target: ['chrome111', 'firefox115', 'safari16'],
  outdir: out,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = result.metafile.outputs;
const entry = (ext) =>
  Object.keys(outputs).find((f) => outputs[f].entryPoint?.endsWith('src/main.js') && f.endsWith(ext)) ??
  Object.keys(outputs).find((f) => basename(f).startsWith('main-') && f.endsWith(ext));
const mainJs = entry('.js');
const mainCss = entry('.css');
if (!mainJs || !mainCss) {
  throw new Error(`esbuild wrote no main .js/.css (outputs: ${Object.keys(outputs).join(', ')})`);
}

const template = readFileSync(join(here, 'src/index.html'), 'utf8');
const html = template
  .replace('%MAIN_CSS%', basename(mainCss))
  .replace('%MAIN_JS%', basename(mainJs));
writeFileSync(join(out, 'index.html'), html);

// What the first load transfers: index.html, the main script, its static imports and the CSS.
const firstLoad = new Set([join(out, 'index.html'), mainCss]);
const walk = (file) => {
  if (firstLoad.has(file)) return;
  firstLoad.add(file);
  for (const imp of outputs[file]?.imports ?? []) if (imp.kind === 'import-statement') walk(imp.path);
};
walk(mainJs);
let raw = 0;
let gz = 0;
for (const f of firstLoad) {
  const bytes = readFileSync(f);
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
let all = 0;
for (const f of Object.keys(outputs)) all += statSync(f).size;
console.log(
  `console built into ${relative(process.cwd(), out) || '.'}: first load ${kb(raw)} KB (${kb(gz)} KB gzip) ` +
    `in ${firstLoad.size} files; all assets ${kb(all)} KB`,
);
