/**
 * The scaling plan (content/scaling.yaml). Planned levels are typed estimates;
 * cells given as `{ result: path }` are read from the results files, and a path
 * that names nothing stops the build with the file, line and path.
 */
import { z } from 'zod';
import { InputError } from '../data/errors';
import { ResultPathError, formatResult, resolveResultPath } from './resultPath';
import { loadYamlContent } from './yamlContent';

export const SCALING_FILE = 'content/scaling.yaml';

const cell = z.union([
  z.string(),
  z.number(),
  z.object({ result: z.string(), format: z.enum(['int', 'percent', 'exp', 'fixed']).optional(), digits: z.number().int().min(0).max(12).optional() }).strict(),
]);

const levelSchema = z
  .object({
    level: z.string(),
    name: z.string(),
    current: z.boolean().optional(),
    regions: cell,
    features: cell,
    data: cell,
    dataNote: z.string().optional(),
    gpuHours: cell,
    gpuNote: z.string().optional(),
    outcome: z.string(),
  })
  .strict();

export const scalingSchema = z
  .object({ levels: z.array(levelSchema).nonempty() })
  .strict()
  .superRefine((s, ctx) => {
    if (s.levels.filter((l) => l.current).length > 1) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'only one level can be current' });
  });

const CELLS = ['regions', 'features', 'data', 'gpuHours'] as const;

export type ScalingRow = Omit<z.infer<typeof levelSchema>, (typeof CELLS)[number]> & Record<(typeof CELLS)[number], string>;

export function loadScalingPlan(file = SCALING_FILE): ScalingRow[] {
  const { value, lineOf } = loadYamlContent(file, scalingSchema);
  return value.levels.map((level, i) => {
    const out = { ...level } as unknown as ScalingRow;
    for (const key of CELLS) {
      const c = level[key];
      if (typeof c === 'string') out[key] = c;
      else if (typeof c === 'number') out[key] = formatResult(c, {}, `${file} levels[${i}].${key}`);
      else {
        try {
          out[key] = formatResult(resolveResultPath(c.result), { format: c.format, digits: c.digits }, c.result);
        } catch (e) {
          if (e instanceof ResultPathError) throw new InputError(`${file}:${lineOf(['levels', i, key, 'result'])}`, `levels[${i}].${key}: results path "${c.result}": ${e.reason}`);
          throw e;
        }
      }
    }
    return out;
  });
}
