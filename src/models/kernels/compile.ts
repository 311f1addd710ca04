/**
 * Compiles the AssemblyScript kernels (assembly/kernels.ts) to WebAssembly.
 * The binary is derived, never committed: it is built on first use and kept in
 * node_modules/.cache, keyed by the source's sha256 and the compiler's version,
 * so a change to the kernels rebuilds it and every later process (and worker)
 * reads it in a few milliseconds.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../util/atomic';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const KERNEL_SOURCE = path.join(HERE, 'assembly', 'kernels.ts');
/** Where the binary is kept: the project's node_modules cache, or the system's temporary folder when that is read-only. */
const CACHE_DIRS = [path.resolve(HERE, '../../../node_modules/.cache/brain-report'), path.join(os.tmpdir(), 'brain-report-kernels')];

/** Compiler options: no runtime, no assertions, SIMD, and the importer's memory. */
const OPTIONS = { optimizeLevel: 3, shrinkLevel: 0, runtime: 'stub', importMemory: true, noAssert: true, enable: ['simd'] };

/** The AssemblyScript compiler's version (it is part of the cache key and of the results' provenance). */
export function kernelCompilerVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('assemblyscript/package.json') as { version: string }).version;
}

/** The kernels' WebAssembly binary, read from the first cache folder that has it, or compiled and kept in the first writable one. */
export async function kernelBinary(cacheDirs: string[] = CACHE_DIRS): Promise<Uint8Array<ArrayBuffer>> {
  const source = fs.readFileSync(KERNEL_SOURCE, 'utf8');
  const version = kernelCompilerVersion();
  const key = crypto.createHash('sha256').update(`${version}\n${JSON.stringify(OPTIONS)}\n${source}`).digest('hex').slice(0, 16);
  const files = cacheDirs.map((dir) => path.join(dir, `kernels-${key}.wasm`));
  for (const cached of files) {
    if (!fs.existsSync(cached)) continue;
    const bytes = new Uint8Array(fs.readFileSync(cached));
    if (!kernelModuleProblem(bytes)) return bytes;
    fs.rmSync(cached, { force: true }); // damaged or replaced (a disk error, a hand edit): build it again
  }
  const binary = await compileKernelSource(source, path.relative(process.cwd(), KERNEL_SOURCE));
  for (const cached of files) {
    try {
      writeFileAtomic(cached, binary);
      break;
    } catch {
      // Read-only: try the next folder; with none writable, compile again next time rather than fail now.
    }
  }
  return binary;
}

/** Compiles AssemblyScript kernel source; `name` is the file named in errors. */
export async function compileKernelSource(source: string, name: string): Promise<Uint8Array<ArrayBuffer>> {
  const { default: asc } = await import('assemblyscript/asc');
  const result = await asc.compileString({ 'kernels.ts': source }, OPTIONS);
  if (result.error || !result.binary) throw new Error(`${name} does not compile:\n${result.stderr.toString()}`);
  const binary = new Uint8Array(result.binary);
  const problem = kernelModuleProblem(binary);
  if (problem) throw new Error(`${name} compiled to a module that ${problem}`);
  return binary;
}

/** The functions the loader calls (src/models/kernels/simd.ts). */
export const KERNEL_EXPORTS = ['biasAdd', 'columnSum', 'biasGelu', 'mulColumnSum', 'addLayerNorm', 'layerNormGrad', 'sumOfSquares', 'adamW'];

/**
 * Why a binary cannot serve as the kernels, or undefined when it can: it must
 * be valid, import nothing but the heap, export every kernel, and carry no
 * data segment. The module shares TensorFlow.js's memory, and a data segment
 * would be copied over whatever tensor lives at its address on instantiation.
 */
export function kernelModuleProblem(bytes: Uint8Array<ArrayBuffer>): string | undefined {
  if (!WebAssembly.validate(bytes)) return 'is not valid WebAssembly';
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module);
  if (imports.length !== 1 || imports[0].module !== 'env' || imports[0].name !== 'memory' || imports[0].kind !== 'memory') {
    return `imports ${imports.map((i) => `${i.module}.${i.name}`).join(', ') || 'nothing'} instead of the heap (env.memory) alone`;
  }
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = KERNEL_EXPORTS.filter((name) => !exported.has(name));
  if (missing.length) return `does not export ${missing.join(', ')}`;
  if (dataSegmentCount(bytes) > 0) return 'has a data segment (a constant table, e.g. from Mathf.exp); the kernels must have none';
  return undefined;
}

/** The number of data segments in a valid binary: section 11's leading count (LEB128). */
function dataSegmentCount(bytes: Uint8Array): number {
  let at = 8; // magic and version
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    if (id === 11) return leb();
    at += size;
  }
  return 0;
}
