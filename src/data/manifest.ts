/**
 * The data manifest: which reference files a data folder holds (path, source URL,
 * sha256, size, licence) and which TRIBE v2 stimuli live in them.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from './errors';
import { readInputText } from './io';
import { canonicalJson } from '../util/json';

/**
 * Why `p` is not acceptable as a path inside a data folder, or null when it is:
 * it must be relative, use `/` separators, and contain no empty, `.` or `..` segment.
 */
export function relativePathProblem(p: string): string | null {
  if (p.length === 0) return 'empty path';
  if (p.includes('\0')) return 'path contains a NUL character';
  if (p.includes('\\')) return 'path must use "/" separators, not "\\"';
  if (path.posix.isAbsolute(p) || path.win32.isAbsolute(p) || /^[A-Za-z]:/.test(p)) {
    return 'path must be relative to the data folder, not absolute';
  }
  const segments = p.split('/');
  if (segments.includes('..')) return 'path must not contain ".."';
  if (segments.some((s) => s === '' || s === '.')) return 'path has an empty or "." segment';
  return null;
}

/** The absolute location of manifest path `rel` under `dataDir`; InputError if `rel` escapes it. */
export function resolveInDataDir(dataDir: string, rel: string): string {
  const problem = relativePathProblem(rel);
  if (problem) throw new InputError(rel, `refusing manifest path: ${problem}`);
  const root = path.resolve(dataDir);
  const target = path.resolve(root, rel);
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new InputError(rel, 'refusing manifest path: it resolves outside the data folder');
  }
  return target;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const relPath = z.string().superRefine((p, ctx) => {
  const problem = relativePathProblem(p);
  if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
});

export const manifestFileSchema = z
  .object({
    path: relPath,
    url: z.string().refine(isHttpUrl, { message: 'expected an http(s) URL' }),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { message: 'expected 64 hex characters' })
      .transform((s) => s.toLowerCase()),
    bytes: z
      .number()
      .int({ message: 'expected a whole number of bytes' })
      .nonnegative({ message: 'expected a non-negative number of bytes' }),
    license: z.string().min(1, { message: 'expected a non-empty licence text' }),
  })
  .strict();

export const stimulusSchema = z
  .object({
    id: z.string().min(1, { message: 'expected a non-empty id' }),
    file: relPath,
    key: z.string().min(1, { message: 'expected a non-empty array name or null' }).nullable(),
    kind: z.enum(['timeseries', 'mean']),
    shape: z
      .array(z.number().int({ message: 'expected an integer' }).positive({ message: 'expected a positive size' }))
      .min(1, { message: 'expected at least one dimension' }),
    label: z.string().min(1, { message: 'expected a non-empty label' }),
    description: z.string(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const want = s.kind === 'timeseries' ? 2 : 1;
    if (s.shape.length !== want) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['shape'],
        message: `a '${s.kind}' stimulus has ${want} dimension${want > 1 ? 's' : ''}, got [${s.shape.join(', ')}]`,
      });
    }
    if (s.file.endsWith('.npz') && s.key === null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['key'], message: 'an .npz file needs the name of the array inside it' });
    }
    if (s.file.endsWith('.npy') && s.key !== null) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['key'], message: 'must be null for a plain .npy file' });
    }
  });

export const manifestSchema = z
  .object({
    files: z.array(manifestFileSchema),
    stimuli: z.array(stimulusSchema),
  })
  .strict()
  .superRefine((m, ctx) => {
    const seen = new Map<string, number>();
    m.files.forEach((f, i) => {
      const first = seen.get(f.path);
      if (first !== undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['files', i, 'path'], message: `duplicate path (also files[${first}])` });
      } else seen.set(f.path, i);
    });
    const ids = new Map<string, number>();
    m.stimuli.forEach((s, i) => {
      if (!seen.has(s.file)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['stimuli', i, 'file'], message: `'${s.file}' is not listed in files` });
      }
      const first = ids.get(s.id);
      if (first !== undefined) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['stimuli', i, 'id'], message: `duplicate id (also stimuli[${first}])` });
      } else ids.set(s.id, i);
    });
  });

export type ManifestFile = z.infer<typeof manifestFileSchema>;
export type Stimulus = z.infer<typeof stimulusSchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/** `['files', 3, 'sha256']` → `files[3].sha256`. */
export function formatIssuePath(p: readonly (string | number)[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(top level)' : out;
}

function issueMessage(issue: z.ZodIssue): string {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return issue.received === 'undefined'
        ? `missing (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${issue.received}`;
    case z.ZodIssueCode.invalid_enum_value:
      return `expected one of ${issue.options.map((o) => `'${String(o)}'`).join(', ')}, got '${String(issue.received)}'`;
    case z.ZodIssueCode.unrecognized_keys:
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    default:
      return issue.message;
  }
}

const MAX_ISSUES = 8;

/** Validate parsed JSON as a manifest; InputError naming `source` and each bad field's path. */
export function parseManifest(json: unknown, source: string): Manifest {
  const result = manifestSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const lines = issues.slice(0, MAX_ISSUES).map((i) => `${formatIssuePath(i.path)}: ${issueMessage(i)}`);
  if (issues.length > MAX_ISSUES) lines.push(`and ${issues.length - MAX_ISSUES} more problem(s)`);
  throw new InputError(source, lines.join('; '));
}

/** Read and validate a manifest file. */
export function loadManifest(file: string): Manifest {
  let text: string;
  try {
    text = readInputText(file);
  } catch (e) {
    // Keep the manifest-specific wording for the common cases; other refusals (a FIFO, too large) as they are.
    if (e instanceof InputError && e.detail === 'not found') throw new InputError(file, 'manifest file not found');
    if (e instanceof InputError && e.detail.startsWith('is a directory')) throw new InputError(file, 'expected a manifest file, found a folder');
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `invalid JSON: ${(e as Error).message}`);
  }
  return parseManifest(json, file);
}

/** sha256 (hex) of the manifest's canonical JSON: identifies the data a result was computed from. */
export function manifestHash(manifest: Manifest): string {
  return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

/** sha256 (hex) of a file, read as a stream. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(file);
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('error', (e: NodeJS.ErrnoException) => {
      reject(new InputError(file, e.code === 'ENOENT' ? 'file not found' : `cannot read: ${e.message}`));
    });
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}
