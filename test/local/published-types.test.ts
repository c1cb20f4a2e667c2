import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * `serverless-api-constructs/local` ships its .d.ts files; the packages the server runs on (ws, dynalite, ...) are
 * development dependencies the user installs only to run it (lib/local/engines.ts), and nobody installs their
 * @types. A declaration importing one breaks a consumer's `tsc` (skipLibCheck off, the CDK app default).
 */
const LOCAL = path.join(__dirname, '..', '..', 'lib', 'local');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory()
    ? sources(path.join(dir, e.name))
    : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

test('GIVEN the local server\'s declarations THEN they import Node built-ins and the library\'s own files only', () => {
  const imports = sources(LOCAL).flatMap(file => {
    const declaration = ts.transpileDeclaration(fs.readFileSync(file, 'utf8'), { fileName: file, compilerOptions: { declaration: true } }).outputText;
    return [...declaration.matchAll(/from '([^']+)'|import\("([^"]+)"\)/g)]
      .map(m => m[1] ?? m[2])
      .filter(spec => !spec.startsWith('.') && !builtinModules.includes(spec.replace(/^node:/, '')))
      .map(spec => `${path.relative(LOCAL, file)}: ${spec}`);
  });
  expect(sources(LOCAL).length).toBeGreaterThan(20);
  expect(imports).toEqual([]);
});
