/**
 * Compiles the AssemblyScript kernels (assembly/kernels.ts) to WebAssembly.
 * The binary is derived, never committed: it is built on first use and kept in
 * node_modules/.cache, keyed by the source's sha256 and the compiler's version,
 * so a change to the kernels rebuilds it and every later process (and worker)
 * reads it in a few milliseconds.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../util/atomic';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const KERNEL_SOURCE = path.join(HERE, 'assembly', 'kernels.ts');
const CACHE_DIR = path.resolve(HERE, '../../../node_modules/.cache/brain-report');

/** Compiler options: no runtime, no assertions, SIMD, and the importer's memory. */
const OPTIONS = { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', importMemory: true, noAssert: true, enable: ['simd'] };

/** The AssemblyScript compiler's version (it is part of the cache key and of the results' provenance). */
export function kernelCompilerVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('assemblyscript/package.json') as { version: string }).version;
}

/** The kernels' WebAssembly binary, compiled now or read from the cache in `cacheDir`. */
export async function kernelBinary(cacheDir = CACHE_DIR): Promise<Uint8Array<ArrayBuffer>> {
  const source = fs.readFileSync(KERNEL_SOURCE, 'utf8');
  const version = kernelCompilerVersion();
  const key = crypto.createHash('sha256').update(`${version}\n${JSON.stringify(OPTIONS)}\n${source}`).digest('hex').slice(0, 16);
  const cached = path.join(cacheDir, `kernels-${key}.wasm`);
  if (fs.existsSync(cached)) {
    const bytes = new Uint8Array(fs.readFileSync(cached));
    if (WebAssembly.validate(bytes)) return bytes;
    fs.rmSync(cached, { force: true }); // damaged (a disk error, a hand edit): build it again
  }
  const binary = await compileKernelSource(source, path.relative(process.cwd(), KERNEL_SOURCE));
  try {
    writeFileAtomic(cached, binary);
  } catch {
    // A read-only node_modules: compile again next time rather than fail now.
  }
  return binary;
}

/** Compiles AssemblyScript kernel source; `name` is the file named in errors. */
export async function compileKernelSource(source: string, name: string): Promise<Uint8Array<ArrayBuffer>> {
  const { default: asc } = await import('assemblyscript/asc');
  const result = await asc.compileString({ 'kernels.ts': source }, OPTIONS);
  if (result.error || !result.binary) throw new Error(`${name} does not compile:\n${result.stderr.toString()}`);
  // The module shares TensorFlow.js's memory: a data segment would be copied
  // over whatever tensor lives at its address when the module is instantiated.
  if (result.text && /\(data\b/.test(result.text)) {
    throw new Error(`${name} compiled to a module with a data segment (a constant table, e.g. from Mathf.exp); the kernels must have none`);
  }
  return new Uint8Array(result.binary);
}
