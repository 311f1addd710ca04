/** Where a data file came from, as the data page shows it: the repository and commit of its URL. */
export interface Source {
  label: string;
  href: string;
}

/** `https://raw.githubusercontent.com/OWNER/REPO/COMMIT/…` → OWNER/REPO at the commit; other URLs by host. */
export function sourceOf(url: string): Source {
  const m = /^https:\/\/raw\.githubusercontent\.com\/([^/]+)\/([^/]+)\/([0-9a-f]{7,40})\//.exec(url);
  if (m) return { label: `${m[1]}/${m[2]} @ ${m[3].slice(0, 7)}`, href: `https://github.com/${m[1]}/${m[2]}/tree/${m[3]}` };
  const u = new URL(url);
  return { label: u.host + u.pathname.split('/').slice(0, 3).join('/'), href: url };
}
