/**
 * The claims check: the study's headline claims (content/claims.yaml), each
 * with the results path of the value this build reproduced, compared within
 * the claim's tolerance. A path that names nothing stops the site build with
 * the file, line and path named, as the :result directive does in prose.
 */
import { z } from 'zod';
import { InputError } from '../data/errors';
import { type FormatOptions, ResultPathError, formatResult, resolveResultPath } from './resultPath';
import { hasResults } from './results';
import { loadYamlContent } from './yamlContent';

export const CLAIMS_FILE = 'content/claims.yaml';

const claimSchema = z
  .object({
    claim: z.string().min(1),
    /** The value the study reported. */
    study: z.number(),
    /** Largest |reproduced − study| for the claim to hold, in the value's own unit. */
    tolerance: z.number().min(0),
    format: z.enum(['int', 'percent', 'exp', 'fixed']).optional(),
    digits: z.number().int().min(0).max(12).optional(),
    /** Results path of the reproduced value. */
    path: z.string().optional(),
    /** The experiment whose results will hold the value (its file does not exist yet). */
    awaiting: z.string().regex(/^[a-z][a-z0-9-]*$/).optional(),
    /** Why this build does not reproduce the claim at all. */
    notReproduced: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const given = [c.path, c.awaiting, c.notReproduced].filter((x) => x !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', path: ['path'], message: 'give exactly one of path, awaiting, notReproduced' });
  });

export const claimsSchema = z.object({ claims: z.array(claimSchema).nonempty() }).strict();

export type Claim = z.infer<typeof claimSchema>;

export interface CheckedClaim extends Claim {
  studyText: string;
  status: 'holds' | 'does not hold' | 'awaiting' | 'not reproduced';
  reproduced?: number;
  reproducedText?: string;
  difference?: number;
}

export function checkClaims(file = CLAIMS_FILE): CheckedClaim[] {
  const { value, lineOf } = loadYamlContent(file, claimsSchema);
  return value.claims.map((c, i): CheckedClaim => {
    const fmt: FormatOptions = { format: c.format, digits: c.digits };
    const studyText = formatResult(c.study, fmt, `${file} claims[${i}].study`);
    const where = (field: string) => `${file}:${lineOf(['claims', i, field]) ?? lineOf(['claims', i])}`;
    if (c.awaiting !== undefined) {
      if (hasResults(c.awaiting)) throw new InputError(where('awaiting'), `claims[${i}] ("${c.claim}") awaits ${c.awaiting}, but experiments/${c.awaiting}.json exists: replace "awaiting" with the results path of the reproduced value`);
      return { ...c, studyText, status: 'awaiting' };
    }
    if (c.notReproduced !== undefined) return { ...c, studyText, status: 'not reproduced' };
    let reproduced: unknown;
    try {
      reproduced = resolveResultPath(c.path!);
      if (typeof reproduced !== 'number') throw new ResultPathError(c.path!, `is ${typeof reproduced}, not a number`);
    } catch (e) {
      if (e instanceof ResultPathError) throw new InputError(where('path'), `claims[${i}].path: results path "${c.path}": ${e.reason}`);
      throw e;
    }
    const difference = reproduced - c.study;
    // A small epsilon so that a tolerance of 0 accepts values equal up to float rounding.
    const holds = Math.abs(difference) <= c.tolerance + 1e-12;
    return { ...c, studyText, reproduced, reproducedText: formatResult(reproduced, fmt, c.path!), difference, status: holds ? 'holds' : 'does not hold' };
  });
}
