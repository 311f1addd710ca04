// The report site. `site` and `base` come from the environment so the same build
// works at a domain root or under a GitHub Pages project path (/<repo>/).
import { fileURLToPath } from 'node:url';
import { defineConfig, passthroughImageService } from 'astro/config';
import remarkDirective from 'remark-directive';
import { copyRendersInto } from './src/render/siteFiles.ts';
import { remarkResults, resultsDigest } from './src/site/remark/results.ts';
import { safeContentPlugins } from './src/site/markdown/sanitize.ts';

/** The brain renders (written by the build's render stage into renders/) go into the site as files. */
const renders = {
  name: 'brain-renders',
  hooks: {
    'astro:build:done': ({ dir, logger }) => {
      const copied = copyRendersInto(fileURLToPath(dir), process.env.RENDERS_DIR || './renders');
      logger.info(copied ? `copied ${copied} render files into renders/` : 'no renders/index.json: the pages show the renders as missing');
    },
  },
};

export default defineConfig({
  site: process.env.SITE_URL || 'https://example.github.io',
  base: process.env.BASE_PATH || '/',
  trailingSlash: 'ignore',
  outDir: process.env.SITE_OUT_DIR || './dist',
  publicDir: './public',
  // No image optimisation: figures are SVG written by the build, renders are video.
  image: { service: passthroughImageService() },
  build: { format: 'directory' },
  markdown: {
    // `:result{path="exp2.…"}` in prose becomes the value from experiments/*.json; a bad path fails the build.
    // The digest makes Astro's content cache notice a changed results file.
    remarkPlugins: [remarkDirective, [remarkResults, { resultsDigest: resultsDigest() }]],
    // Content is sanitised against an allow-list and external links get rel="noopener noreferrer".
    rehypePlugins: [...safeContentPlugins],
  },
  integrations: [renders],
  vite: {
    // Figures render Observable Plot into static SVG at build time.
    ssr: { noExternal: [] },
  },
});
