import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

export const ROOT = join(__dirname, '..');

/**
 * The package imports (not `import type`, which compile away) of every file reachable from `entries`
 * (repository-relative .ts files, or folders: all their .ts files) by relative imports, each with the
 * first file importing it; and the files reached.
 */
export function importClosure(...entries: string[]): { packages: Map<string, string>; files: string[] } {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) { return; }
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)(?! type)[^;]*?from '([^']+)'|^import '([^']+)'/gms)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        visit(existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts'));
      } else if (!packages.has(spec)) {
        packages.set(spec, relative(ROOT, file));
      }
    }
  };
  for (const entry of entries) {
    const full = join(ROOT, entry);
    if (entry.endsWith('.ts')) {
      visit(full);
    } else {
      readdirSync(full, { recursive: true }).map(String).filter(f => f.endsWith('.ts')).forEach(f => visit(join(full, f)));
    }
  }
  return { packages, files: [...seen].map(f => relative(ROOT, f)).sort() };
}
