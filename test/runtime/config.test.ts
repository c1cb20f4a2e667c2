import { coldStart } from '../support/cold-start';

describe('config', () => {
  // config.ts reads the environment at module load, so give it a table name before importing.
  let loadConfig: typeof import('../../lib/runtime/crud/config').loadConfig;
  beforeAll(async () => {
    process.env.TABLE_NAME = 'config-test';
    process.env.AWS_REGION = 'us-east-1';
    ({ loadConfig } = coldStart([require.resolve('../../lib/runtime/crud/config')])[0] as typeof import('../../lib/runtime/crud/config'));
  });

  test('GIVEN only TABLE_NAME WHEN loaded THEN the documented defaults apply', () => {
    expect(loadConfig({ TABLE_NAME: 't1' })).toEqual({
      tableName: 't1',
      partitionKey: 'id',
      versionAttribute: 'version',
      maxBodyBytes: 102400,
      idParameter: 'id',
      defaultPageSize: 25,
      maxPageSize: 100,
      maxBodyDepth: 32,
      maxBodyAttributes: 10000,
    });
  });

  test('GIVEN every variable WHEN loaded THEN they are used', () => {
    expect(
      loadConfig({
        TABLE_NAME: 't1',
        PARTITION_KEY: 'pk',
        VERSION_ATTRIBUTE: 'rev',
        MAX_BODY_BYTES: '2048',
        ID_PARAMETER: 'itemId',
        DEFAULT_PAGE_SIZE: '10',
        MAX_PAGE_SIZE: '50',
        MAX_BODY_DEPTH: '8',
        MAX_BODY_ATTRIBUTES: '500',
      }),
    ).toEqual({
      tableName: 't1',
      partitionKey: 'pk',
      versionAttribute: 'rev',
      maxBodyBytes: 2048,
      idParameter: 'itemId',
      defaultPageSize: 10,
      maxPageSize: 50,
      maxBodyDepth: 8,
      maxBodyAttributes: 500,
    });
  });

  test.each([
    ['no TABLE_NAME', {}],
    ['MAX_BODY_BYTES=abc', { TABLE_NAME: 't', MAX_BODY_BYTES: 'abc' }],
    ['MAX_PAGE_SIZE=0', { TABLE_NAME: 't', MAX_PAGE_SIZE: '0' }],
    ['DEFAULT_PAGE_SIZE > MAX_PAGE_SIZE', { TABLE_NAME: 't', DEFAULT_PAGE_SIZE: '200' }],
    ['PARTITION_KEY=version', { TABLE_NAME: 't', PARTITION_KEY: 'version' }],
  ])('GIVEN %s WHEN loaded THEN it throws', (_label, env) => {
    expect(() => loadConfig(env)).toThrow();
  });

  test.each([
    ['PARTITION_KEY=deletedAt', { TABLE_NAME: 't', PARTITION_KEY: 'deletedAt' }, /PARTITION_KEY "deletedAt" clashes with a server-managed attribute/],
    ['VERSION_ATTRIBUTE=deletedAt', { TABLE_NAME: 't', VERSION_ATTRIBUTE: 'deletedAt' }, /VERSION_ATTRIBUTE "deletedAt" clashes with a timestamp attribute/],
    ['PARTITION_KEY=__proto__', { TABLE_NAME: 't', PARTITION_KEY: '__proto__' }, /PARTITION_KEY "__proto__" is not a usable attribute name/],
    ['VERSION_ATTRIBUTE=constructor', { TABLE_NAME: 't', VERSION_ATTRIBUTE: 'constructor' }, /VERSION_ATTRIBUTE "constructor" is not a usable attribute name/],
    ['MAX_BODY_DEPTH=33', { TABLE_NAME: 't', MAX_BODY_DEPTH: '33' }, /MAX_BODY_DEPTH \(33\) must not exceed 32/],
    ['MAX_BODY_ATTRIBUTES=0', { TABLE_NAME: 't', MAX_BODY_ATTRIBUTES: '0' }, /MAX_BODY_ATTRIBUTES must be a positive integer/],
  ])('GIVEN %s WHEN loaded THEN it throws naming the problem', (_label, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
