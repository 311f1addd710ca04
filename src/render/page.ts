/**
 * The HTML page three.js draws in, for headless Chromium: the browser script
 * (three.js and BrainView) bundled by esbuild into one inline script, so the
 * page needs no server and no network.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser', 'renderPage.ts');

let bundled: Promise<string> | undefined;

/** The bundled page script (built once per process). */
export function pageScript(): Promise<string> {
  bundled ??= build({ entryPoints: [ENTRY], bundle: true, format: 'iife', write: false, minify: true, target: 'es2022', logLevel: 'silent' }).then((r) =>
    new TextDecoder().decode(r.outputFiles[0].contents),
  );
  return bundled;
}

export async function renderPageHtml(): Promise<string> {
  // `</script` cannot appear inside an inline script; three.js has none, but be safe.
  const script = (await pageScript()).replace(/<\/script/gi, '<\\/script');
  return `<!doctype html>
<html><head><meta charset="utf-8"><style>
html,body{margin:0;padding:0;background:#fff;overflow:hidden}
#frame{position:relative;font-family:sans-serif;color:#222}
#gl{position:absolute;left:0;top:0;width:100%;height:100%}
#overlay{position:absolute;left:0;top:0;width:100%;height:100%}
#overlay div{position:absolute;white-space:nowrap}
</style></head>
<body><div id="frame"><canvas id="gl"></canvas><div id="overlay"></div></div>
<script>${script}</script></body></html>`;
}
