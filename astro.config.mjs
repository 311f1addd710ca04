// The report site. `site` and `base` come from the environment so the same build
// works at a domain root or under a GitHub Pages project path (/<repo>/).
import { defineConfig, passthroughImageService } from 'astro/config';
import remarkDirective from 'remark-directive';
import { remarkResults, resultsDigest } from './src/site/remark/results.ts';

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
  },
  vite: {
    // Figures render Observable Plot into static SVG at build time.
    ssr: { noExternal: [] },
  },
});
