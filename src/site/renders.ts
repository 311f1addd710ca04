/**
 * Reads renders/index.json, written by the build's render stage. Pages only
 * link to the files it names; without it (renders skipped or never built) they
 * say so in text.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RenderEntry, RenderIndex } from '../render/stage';

/** `RENDERS_DIR` lets a test build the site from renders written elsewhere. */
export const RENDERS_DIR = path.resolve(process.cwd(), process.env.RENDERS_DIR || 'renders');

export function readRenderIndex(): RenderIndex | null {
  const file = path.join(RENDERS_DIR, 'index.json');
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RenderIndex;
}

export function rendersOf(index: RenderIndex | null, group: string): RenderEntry[] {
  return index ? index.renders.filter((r) => r.group === group) : [];
}

/** URL of a render file on the site (under the base path). */
export function renderUrl(base: string, file: string): string {
  return `${base.replace(/\/$/, '')}/renders/${file}`;
}

export const RENDERS_NOT_BUILT =
  'The brain renders were not built for this copy of the report (the build ran with --skip-renders, or before the render stage existed). `npm run build` renders them.';
