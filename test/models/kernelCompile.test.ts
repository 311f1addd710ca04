/** Building the SIMD kernels: the cache, a damaged cache file, and the guard against data segments. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KERNEL_EXPORTS, compileKernelSource, kernelBinary, kernelModuleProblem } from '../../src/models/kernels/compile';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kernels-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) {
    fs.chmodSync(d, 0o755);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('kernel binary', () => {
  it('is compiled once into the cache folder, then read from it', async () => {
    const dir = tempDir();
    const first = await kernelBinary([dir]);
    expect(WebAssembly.validate(first)).toBe(true);
    const [file] = fs.readdirSync(dir);
    expect(file).toMatch(/^kernels-[0-9a-f]{16}\.wasm$/);
    const mtime = fs.statSync(path.join(dir, file)).mtimeMs;
    const second = await kernelBinary([dir]);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(fs.statSync(path.join(dir, file)).mtimeMs).toBe(mtime);
    // Exports what the kernels module declares, and imports only the heap.
    const module = await WebAssembly.compile(first);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(
      expect.arrayContaining(['biasAdd', 'columnSum', 'biasGelu', 'mulColumnSum', 'addLayerNorm', 'layerNormGrad', 'sumOfSquares', 'adamW']),
    );
  });

  it('a damaged cache file is rebuilt, and an unwritable cache folder only costs a compile', async () => {
    const dir = tempDir();
    const good = await kernelBinary([dir]);
    const [file] = fs.readdirSync(dir);
    fs.writeFileSync(path.join(dir, file), 'not wasm');
    const rebuilt = await kernelBinary([dir]);
    expect(Buffer.from(rebuilt).equals(Buffer.from(good))).toBe(true);
    expect(WebAssembly.validate(new Uint8Array(fs.readFileSync(path.join(dir, file))))).toBe(true);

    const readOnly = tempDir();
    fs.chmodSync(readOnly, 0o555);
    const uncached = await kernelBinary([readOnly]);
    expect(Buffer.from(uncached).equals(Buffer.from(good))).toBe(true);
    if (process.getuid?.() !== 0) expect(fs.readdirSync(readOnly)).toEqual([]); // root writes anyway
  });

  it('refuses kernel source that would bring a data segment into the shared heap, or lacks a kernel', async () => {
    const source = 'export function e(x: f32): f32 { return Mathf.exp(x); }';
    await expect(compileKernelSource(source, 'probe.ts')).rejects.toThrow(/probe\.ts compiled to a module that does not export biasAdd/);
    const withTable = `${KERNEL_EXPORTS.map((n) => `export function ${n}(): void {}`).join('\n')}\nexport function e(x: f32): f32 { return Mathf.exp(x); }`;
    await expect(compileKernelSource(withTable, 'probe.ts')).rejects.toThrow(/probe\.ts compiled to a module that has a data segment/);
  });

  it('a cached file that is valid WebAssembly but not the kernels is replaced, and a later folder is used when the first is read-only', async () => {
    const dir = tempDir();
    const good = await kernelBinary([dir]);
    const [file] = fs.readdirSync(dir);
    // An empty module: valid, but exports nothing.
    fs.writeFileSync(path.join(dir, file), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    expect(kernelModuleProblem(new Uint8Array(fs.readFileSync(path.join(dir, file))))).toMatch(/imports nothing/);
    expect(Buffer.from(await kernelBinary([dir])).equals(Buffer.from(good))).toBe(true);
    expect(kernelModuleProblem(new Uint8Array(fs.readFileSync(path.join(dir, file))))).toBeUndefined();

    const readOnly = tempDir();
    const fallback = tempDir();
    fs.chmodSync(readOnly, 0o555);
    await kernelBinary([readOnly, fallback]);
    if (process.getuid?.() !== 0) expect(fs.readdirSync(fallback)).toEqual([file]);
  });

  it('names the file and the compiler error for source that does not compile', async () => {
    await expect(compileKernelSource('export function f(): i32 { return undefinedName; }', 'broken.ts')).rejects.toThrow(/broken\.ts does not compile:[\s\S]*undefinedName/);
  });
});
