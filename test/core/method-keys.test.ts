import { resourcePathOf, wildcardMethod } from '../../lib/core/method-keys';
import { importClosure } from '../import-closure';

describe('method keys (shared by the constructs and the local server)', () => {
  test.each([
    ['GET', 'GET'], ['get', 'GET'], ['ANY', '*'], ['any', '*'], ['OPTIONS', 'OPTIONS'],
  ])('wildcardMethod(%s) is %s', (method, expected) => {
    expect(wildcardMethod(method)).toBe(expected);
  });

  test.each([
    ['/', '/'], ['/items', '/~1items'], ['/items/{id}', '/~1items~1{id}'], ['/files/{proxy+}', '/~1files~1{proxy+}'],
  ])('resourcePathOf(%s) is %s', (path, expected) => {
    expect(resourcePathOf(path)).toBe(expected);
  });

  test('the local server, which uses them, loads neither aws-cdk-lib nor constructs', () => {
    const { packages, files } = importClosure('lib/local');
    expect(files).toContain('lib/core/method-keys.ts');
    expect([...packages].filter(([name]) => /^(aws-cdk-lib|constructs)(\/|$)/.test(name))).toEqual([]);
  });
});
