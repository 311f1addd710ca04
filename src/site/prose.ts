/**
 * The prose of a page (`content/pages/<id>.md`), rendered with the :result
 * directive. Imported through Vite on every build rather than read from the
 * content-layer cache, so a changed results file always changes the page
 * even when the Markdown did not change.
 */
import type { MarkdownInstance } from 'astro';

interface PageFrontmatter {
  title: string;
  experiment?: string;
  order: number;
}

const pages = import.meta.glob<MarkdownInstance<PageFrontmatter>>('../../content/pages/*.md');

export async function prose(id: string): Promise<MarkdownInstance<PageFrontmatter>> {
  const load = pages[`../../content/pages/${id}.md`];
  if (!load) throw new Error(`content/pages/${id}.md is missing`);
  return load();
}
