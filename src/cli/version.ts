/**
 * The version printed by --version, read from the package.json next to the bundle (dist/..) or
 * above the sources (src/cli/../..). Read at run time because the layering rules keep the CLI
 * from importing package.json into the bundle.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function packageVersion(startDir: string): string | undefined {
  let dir = startDir;
  for (let depth = 0; depth < 4; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'align-lab' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
