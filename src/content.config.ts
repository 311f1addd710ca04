// Prose of the report lives in `content/pages` (Markdown); numbers come from results files.
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

const pages = defineCollection({
  loader: glob({ pattern: '**/*.md', base: './content/pages' }),
  schema: z.object({
    title: z.string(),
    /** The experiment whose results the page lays out, if any. */
    experiment: z.string().optional(),
    order: z.number().int(),
  }),
});

export const collections = { pages };
