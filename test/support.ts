/** Where tests find the reference data: the shared folder beside the repository. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_DATA = process.env.BRAIN_TEST_DATA ?? path.resolve(REPO_ROOT, '../shared/data');
export const GOLDEN = path.resolve(REPO_ROOT, '../shared/reference/golden');
