/**
 * The built site in a real browser, under a non-root base path as on GitHub
 * Pages: every page is reached by following links from the home page and
 * matches the built file list; no console errors, no broken internal links or
 * resources, figures are SVG with a caption linking their sources, tables are
 * present, and at phone width (375 px) nothing makes the page scroll sideways.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../src/util/chromium';
import { REPO_ROOT } from '../support';
import { buildSite } from './buildSite';
import { type StaticServer, serveStatic } from './staticServer';

const BASE = '/brain-report/';

interface PageReport {
  url: string;
  errors: string[];
  failed: string[];
  links: string[];
  figures: Array<{ id: string; svg: boolean; media: boolean; caption: string; sources: string[] }>;
  tables: number;
  brokenMedia: string[];
  phoneOverflow: number;
  wideElements: string[];
}

describe('the built site in Chromium', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-'));
  const outDir = path.join(work, 'dist');
  let server: StaticServer;
  let browser: Browser;
  const pages = new Map<string, PageReport>();
  const otherLinks = new Map<string, number>();

  async function visit(page: Page, url: string): Promise<PageReport> {
    const errors: string[] = [];
    const failed: string[] = [];
    const onConsole = (m: { type: () => string; text: () => string }) => {
      if (m.type() === 'error') errors.push(m.text());
    };
    const onError = (e: unknown) => {
      errors.push(e instanceof Error ? e.message : String(e));
    };
    const onResponse = (r: { status: () => number; url: () => string }) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    };
    const onFailed = (r: { url: () => string; failure: () => { errorText: string } | null }) => failed.push(`${r.failure()?.errorText} ${r.url()}`);
    page.on('console', onConsole);
    page.on('pageerror', onError);
    page.on('response', onResponse);
    page.on('requestfailed', onFailed);
    await page.setViewport({ width: 1100, height: 900 });
    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response || response.status() !== 200) failed.push(`${response?.status()} ${url}`);
    const found = await page.evaluate(() => ({
      links: [...document.querySelectorAll('a[href]')].map((a) => (a as HTMLAnchorElement).href),
      figures: [...document.querySelectorAll('main figure')].filter((f) => !f.parentElement?.closest('figure')).map((f) => ({
        id: f.id,
        svg: !!f.querySelector('svg'),
        media: !!f.querySelector('svg, img, video'),
        caption: f.querySelector('figcaption')?.textContent ?? '',
        sources: [...f.querySelectorAll('figcaption a[href]')].map((a) => (a as HTMLAnchorElement).href),
      })),
      tables: document.querySelectorAll('main table').length,
      brokenMedia: [
        ...[...document.querySelectorAll('img')].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
        ...[...document.querySelectorAll('video')].filter((v) => v.error !== null).map((v) => v.currentSrc || v.src),
      ],
    }));
    await page.setViewport({ width: 375, height: 800 });
    const { phoneOverflow, wideElements } = await page.evaluate(() => ({
      phoneOverflow: document.documentElement.scrollWidth - window.innerWidth,
      // The elements that stick out, to make a failure easy to fix.
      wideElements: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.parentElement?.closest('.table-scroll, .figure-scroll, table'))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
    }));
    page.off('console', onConsole);
    page.off('pageerror', onError);
    page.off('response', onResponse);
    page.off('requestfailed', onFailed);
    return { url, errors, failed, ...found, phoneOverflow, wideElements };
  }

  beforeAll(async () => {
    const built = buildSite({ resultsDir: path.join(REPO_ROOT, 'experiments'), outDir, base: BASE });
    expect(built.status, built.output).toBe(0);
    server = await serveStatic(outDir, BASE);
    browser = await launchChromium();
    const page = await browser.newPage();
    const home = `${server.origin}${BASE}`;
    const queue = [home];
    while (queue.length) {
      const url = queue.shift()!;
      if (pages.has(url)) continue;
      const report = await visit(page, url);
      pages.set(url, report);
      for (const link of report.links) {
        const u = new URL(link);
        u.hash = '';
        if (u.origin !== server.origin) continue;
        if (u.pathname.endsWith('/')) {
          if (!pages.has(u.href) && !queue.includes(u.href)) queue.push(u.href);
        } else if (!otherLinks.has(u.href)) {
          otherLinks.set(u.href, (await fetch(u.href)).status);
        }
      }
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reaches every built page by following links from the home page', () => {
    const built = (fs.readdirSync(outDir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('index.html'))
      .map((f) => `${server.origin}${BASE}${path.dirname(f) === '.' ? '' : `${path.dirname(f)}/`}`)
      .sort();
    expect([...pages.keys()].sort()).toEqual(built);
    expect(built.length).toBeGreaterThanOrEqual(5);
    for (const p of ['', 'architecture/', 'experiments/exp2/', 'data/', 'scaling/']) expect(pages.has(`${server.origin}${BASE}${p}`)).toBe(true);
  });

  it('has no console errors, failed requests, broken internal links or broken media', () => {
    for (const r of pages.values()) {
      expect(r.errors, r.url).toEqual([]);
      expect(r.failed, r.url).toEqual([]);
      expect(r.brokenMedia, r.url).toEqual([]);
    }
    const broken = [...otherLinks].filter(([, status]) => status !== 200);
    expect(broken).toEqual([]);
    // Every internal link stays under the base path.
    for (const r of pages.values()) for (const l of r.links) if (l.startsWith(server.origin)) expect(new URL(l).pathname.startsWith(BASE), l).toBe(true);
  });

  it('shows figures as SVG with a caption linking the results file and the definition, and tables', () => {
    const at = (p: string) => pages.get(`${server.origin}${BASE}${p}`)!;
    for (const r of pages.values()) {
      for (const f of r.figures) {
        expect(f.svg, `${r.url} figure ${f.id}`).toBe(true);
        expect(f.caption.length, `${r.url} figure ${f.id}`).toBeGreaterThan(40);
        expect(f.sources.some((s) => /\/results\/[a-z0-9-]+\.json$/.test(s)), `${r.url} figure ${f.id} links its results`).toBe(true);
        expect(f.sources.some((s) => /\/definitions\//.test(s)), `${r.url} figure ${f.id} links its definition`).toBe(true);
      }
    }
    expect(at('architecture/').figures.map((f) => f.id)).toEqual(['connectivity-matrix', 'feature-mask']);
    expect(at('experiments/exp2/').figures.length).toBeGreaterThanOrEqual(7);
    for (const p of ['', 'architecture/', 'experiments/exp2/', 'data/', 'scaling/']) expect(at(p).tables, p).toBeGreaterThan(0);
    expect([...otherLinks.keys()].some((l) => l.endsWith('/results/exp2.json'))).toBe(true);
  });

  it('does not scroll sideways at phone width', () => {
    for (const r of pages.values()) expect(r.phoneOverflow, `${r.url}: ${r.wideElements.join(', ')}`).toBeLessThanOrEqual(0);
  });
});
