import { readFileSync } from 'fs';
import { join } from 'path';
import { AWS_SDK_FLOOR, CLIENT_PEERS, requirePeers, WEBSOCKET_RUNTIME_PEERS } from '../../lib/runtime/peer-dependencies';
import { importClosure, ROOT } from '../import-closure';

/** The AWS SDK packages the entry point loads, directly or through the files it imports. */
function packageImports(entry: string): string[] {
  return [...importClosure(entry).packages.keys()].filter(p => p.startsWith('@aws-sdk/')).sort();
}

describe('requirePeers', () => {
  test('names the missing package, the runtime that provides it and the install command', () => {
    expect(() => requirePeers('serverless-api-constructs/client', ['@aws-sdk/client-not-a-package'])).toThrow(
      'serverless-api-constructs/client needs @aws-sdk/client-not-a-package, not installed. The Lambda Node.js runtime provides it; '
      + `elsewhere (tests, scripts, type checking) install it: npm install @aws-sdk/client-not-a-package@^${AWS_SDK_FLOOR}`);
  });

  test('names every missing package at once, and only the missing ones', () => {
    expect(() => requirePeers('x', ['@aws-sdk/client-dynamodb', '@aws-sdk/a-missing', '@aws-sdk/b-missing'])).toThrow(
      'x needs @aws-sdk/a-missing, @aws-sdk/b-missing, not installed. The Lambda Node.js runtime provides them; '
      + `elsewhere (tests, scripts, type checking) install them: npm install @aws-sdk/a-missing@^${AWS_SDK_FLOOR} @aws-sdk/b-missing@^${AWS_SDK_FLOOR}`);
  });

  test('passes when every package of both entry points is installed', () => {
    expect(() => requirePeers('x', [...CLIENT_PEERS, ...WEBSOCKET_RUNTIME_PEERS])).not.toThrow();
  });

  test('leaves errors other than "not found" to the real import', () => {
    const resolver = () => { throw Object.assign(new Error('EACCES'), { code: 'EACCES' }); };
    expect(() => requirePeers('x', ['@aws-sdk/client-lambda'], resolver)).not.toThrow();
  });

  test('checks nothing where there is no require.resolve (an ES module bundle)', () => {
    expect(() => requirePeers('x', ['@aws-sdk/a-missing'], null)).not.toThrow();
  });
});

describe('the entry points check exactly the AWS SDK packages they import', () => {
  test('serverless-api-constructs/client', () => {
    expect(packageImports('lib/client/index.ts')).toEqual([...CLIENT_PEERS].sort());
  });

  test('serverless-api-constructs/runtime/websocket', () => {
    expect(packageImports('lib/runtime/websocket/index.ts')).toEqual([...WEBSOCKET_RUNTIME_PEERS].sort());
  });

  test('the floor is the version the repository pins', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const name of [...CLIENT_PEERS, ...WEBSOCKET_RUNTIME_PEERS]) {
      expect([name, pkg.devDependencies[name]]).toEqual([name, AWS_SDK_FLOOR]);
    }
  });
});
