/**
 * The renders the site serves: renders/index.json and the files it names
 * (videos, posters, viewer data), copied into the built site's renders/ folder
 * after `astro build` (see astro.config.mjs). Pages read the index at build time.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RenderIndex } from './stage';

/** The files of the index a page may link to, relative to the renders folder. */
export function servedFiles(index: RenderIndex): string[] {
  const files = new Set<string>(['index.json', index.mesh.file]);
  for (const r of index.renders) {
    files.add(r.viewer.file);
    if (r.status === 'rendered' && r.files) for (const f of Object.values(r.files)) files.add(f);
  }
  return [...files];
}

/** Copies the served files from `rendersDir` into `<siteDir>/renders/`; returns how many were copied. */
export function copyRendersInto(siteDir: string, rendersDir: string): number {
  const indexFile = path.join(rendersDir, 'index.json');
  if (!fs.existsSync(indexFile)) return 0;
  const index = JSON.parse(fs.readFileSync(indexFile, 'utf8')) as RenderIndex;
  let copied = 0;
  for (const f of servedFiles(index)) {
    const from = path.join(rendersDir, f);
    if (!fs.existsSync(from)) continue;
    const to = path.join(siteDir, 'renders', f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    copied++;
  }
  return copied;
}
