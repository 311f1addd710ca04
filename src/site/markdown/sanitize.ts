/**
 * What content pages (content/pages/*.md) may put into the published HTML. Markdown
 * may carry raw HTML; it is parsed (rehype-raw) and then filtered by rehype-sanitize
 * against this allow-list: GitHub's schema (no <script>, <style>, <iframe>, forms or
 * inline event handlers; links and images only to http(s), mailto and relative URLs),
 * plus the attributes Astro's own code highlighting writes. External links then get
 * rel="noopener noreferrer" (rehype-external-links).
 *
 * A plugin that produces other trusted elements from content must either run after
 * these (it is then not filtered) or have its tags and attributes added here.
 */
import rehypeExternalLinks, { type Options as ExternalLinksOptions } from 'rehype-external-links';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

const attributes = defaultSchema.attributes ?? {};

export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...attributes,
    // Class names cannot run code; pages and figures style by class.
    '*': [...(attributes['*'] ?? []), 'className'],
    // Shiki (Astro's code highlighting) colours code with inline styles and marks the language.
    pre: [...(attributes.pre ?? []), 'style', 'tabIndex', 'dataLanguage'],
    span: [...(attributes.span ?? []), 'style'],
    code: [...(attributes.code ?? []), 'style'],
  },
};

export const externalLinksOptions: ExternalLinksOptions = {
  rel: ['noopener', 'noreferrer'],
  protocols: ['http', 'https'],
};

/** The entries for astro.config.mjs `markdown.rehypePlugins`, in this order. */
export const safeContentPlugins = [rehypeRaw, [rehypeSanitize, sanitizeSchema], [rehypeExternalLinks, externalLinksOptions]] as const;
