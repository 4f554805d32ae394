import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from '../../server/src/test/free-port';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Debian's Chromium (apt-get install chromium); Playwright's own browser download cannot work here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** A free TCP port on 127.0.0.1. */
export { freePort };

export interface RunningKesu {
  baseUrl: string;
  dataDir: string;
  /** The initial admin's one-time password, read from DATA_DIR/initial-admin.txt. */
  initialPassword: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Start the built server (`npm run build` first) on a new embedded database in a temporary folder, as `npm start`
 * would, and wait until it answers.
 */
export async function startKesu(env: Record<string, string> = {}): Promise<RunningKesu> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kesu-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'server/bin/kesu.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // A flow loads public pages many times from 127.0.0.1; the public API's rate limit is tested in the server suite.
      PUBLIC_RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kesu exited early:\n${out}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`kesu not ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const file = fs.readFileSync(path.join(dataDir, 'initial-admin.txt'), 'utf8');
  const initialPassword = /one-time password: (\S+)/.exec(file)?.[1] ?? '';
  return {
    baseUrl,
    dataDir,
    initialPassword,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Save a screenshot under e2e/test-results/ (kept out of git) — for looking at what a flow saw. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = path.join(ROOT, 'e2e/test-results');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Sign in through the sign-in page. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** A first sign-in with a one-time password: sign in, then set the new password on the page kesu shows. */
export async function firstSignIn(
  page: Page,
  baseUrl: string,
  username: string,
  once: string,
  next: string,
): Promise<void> {
  await signIn(page, baseUrl, username, once);
  await page.locator('#currentPassword').waitFor();
  await page.locator('#currentPassword').fill(once);
  await page.locator('#newPassword').fill(next);
  await page.locator('#confirmPassword').fill(next);
  await page.getByRole('button', { name: /修\s*改\s*密\s*码/ }).click();
  await page.locator('#currentPassword').waitFor({ state: 'detached' });
  await page.locator('header').first().waitFor();
}

/** Whether the page fits its viewport's width (no sideways scrolling). */
export function noSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1,
  );
}

/** A JSON call to the API with a browser context's session (for setting up what a flow does not walk through). */
export async function apiAs(
  context: BrowserContext,
  baseUrl: string,
  method: string,
  url: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: flows read the JSON they asked for
): Promise<any> {
  const cookies = await context.cookies();
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      'content-type': 'application/json',
      origin: baseUrl,
      cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${url}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}
