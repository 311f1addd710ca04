/**
 * Headless Chromium for the build (brain renders) and the site's browser test.
 *
 * The project uses `puppeteer-core` with the system's Chromium: the `puppeteer`
 * package downloads its own browser at install time, which fails on machines
 * without internet access. Without a GPU, WebGL runs on SwiftShader.
 */
import fs from 'node:fs';
import type { Browser, LaunchOptions } from 'puppeteer-core';

/** Where Chromium usually lives; `PUPPETEER_EXECUTABLE_PATH` or `CHROME_PATH` come first. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export const CHROMIUM_INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `apt-get install -y chromium`) or set PUPPETEER_EXECUTABLE_PATH to a Chromium or Chrome binary';

/**
 * The Chromium binary to use, or undefined when none is found. A path set in
 * PUPPETEER_EXECUTABLE_PATH is the one wanted: if it does not exist, none is found.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PUPPETEER_EXECUTABLE_PATH) return fs.existsSync(env.PUPPETEER_EXECUTABLE_PATH) ? env.PUPPETEER_EXECUTABLE_PATH : undefined;
  for (const candidate of [env.CHROME_PATH, ...CANDIDATES]) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Flags for a headless run on a machine with no GPU and no network: WebGL
 * through SwiftShader, no background connections (they are refused here, many
 * at a time), and no sandbox when running as root (CI containers).
 */
export function chromiumArgs(): string[] {
  const args = [
    '--headless=new',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--ignore-gpu-blocklist',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-quic',
    '--no-first-run',
    '--mute-audio',
    '--disable-dev-shm-usage',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

export class ChromiumMissingError extends Error {
  constructor(detail?: string) {
    super(`Chromium not found${detail ? ` (${detail})` : ''}: ${CHROMIUM_INSTALL_HINT}`);
    this.name = 'ChromiumMissingError';
  }
}

/** Launches headless Chromium, or throws ChromiumMissingError with how to install it. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) {
    const wanted = process.env.PUPPETEER_EXECUTABLE_PATH;
    throw new ChromiumMissingError(wanted ? `PUPPETEER_EXECUTABLE_PATH=${wanted} does not exist` : undefined);
  }
  const puppeteer = await import('puppeteer-core');
  return puppeteer.default.launch({
    executablePath,
    headless: true,
    args: chromiumArgs(),
    ...options,
  });
}
