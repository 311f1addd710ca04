/** Checks that several experiment schemas share (each protocol's schema calls them from its superRefine). */
import type { z } from 'zod';

/** Each model name once; returns the names, for checking references to them. */
export function uniqueModelNames(models: ReadonlyArray<{ name: string }>, ctx: z.RefinementCtx): Set<string> {
  const names = new Set<string>();
  models.forEach((m, i) => {
    if (names.has(m.name)) ctx.addIssue({ code: 'custom', path: ['models', i, 'name'], message: `model name "${m.name}" is used twice` });
    names.add(m.name);
  });
  return names;
}
