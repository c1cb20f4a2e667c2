import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { format } from 'pretty-format';
import { RouteAuthorization, ServerlessApi } from '../../lib';
import { assetHashSerializer, maskAssetHashes, stageTemplates } from '../../lib/testing';
import { testApp } from '../util';

const HASH = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/** How jest prints `value` into a snapshot with the serializer added. */
function printed(value: unknown): string {
  return format(value, { plugins: [assetHashSerializer] });
}

describe('assetHashSerializer', () => {
  test('GIVEN an S3 key THEN the hash is masked', () => {
    expect(printed({ S3Key: `${HASH}.zip` })).toBe('Object {\n  "S3Key": "[ASSET HASH].zip",\n}');
  });

  test('GIVEN a staged asset path THEN the hash is masked', () => {
    expect(printed({ 'aws:asset:path': `asset.${HASH}` })).toBe('Object {\n  "aws:asset:path": "asset.[ASSET HASH]",\n}');
  });

  test('GIVEN an Fn::Sub string THEN the hash inside it is masked', () => {
    expect(printed({ 'Fn::Sub': `https://s3.\${AWS::Region}.\${AWS::URLSuffix}/cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${HASH}.json` }))
      .toBe('Object {\n  "Fn::Sub": "https://s3.${AWS::Region}.${AWS::URLSuffix}/cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/[ASSET HASH].json",\n}');
  });

  test('GIVEN a hash in an object key THEN the key is masked', () => {
    expect(printed({ [`${HASH}:current_account-current_region`]: {} })).toBe('Object {\n  "[ASSET HASH]:current_account-current_region": Object {},\n}');
  });

  test('GIVEN a path into the library\'s install folder THEN the folder is masked', () => {
    expect(printed(path.join(REPOSITORY_ROOT, 'dist', 'handlers', 'crud', 'create'))).toBe('"[serverless-api-constructs]/dist/handlers/crud/create"');
  });

  test('GIVEN strings without a 64-hex hash THEN they print unchanged', () => {
    const value = { short: HASH.slice(1), upper: HASH.toUpperCase(), id: 'ItemsTableB7160AE2' };
    expect(printed(value)).toBe(format(value));
  });
});

describe('maskAssetHashes', () => {
  test('GIVEN nested values and keys THEN every hash is masked and the input is untouched', () => {
    const input = { Resources: { [HASH]: { Properties: { Code: { S3Key: `${HASH}.zip` } }, List: [`asset.${HASH}`, 1, null, true] } } };
    expect(maskAssetHashes(input)).toEqual({
      Resources: { '[ASSET HASH]': { Properties: { Code: { S3Key: '[ASSET HASH].zip' } }, List: ['asset.[ASSET HASH]', 1, null, true] } },
    });
    expect(input.Resources[HASH].Properties.Code.S3Key).toBe(`${HASH}.zip`);
  });
});

describe('the library\'s own handler assets', () => {
  /** A stage whose API deploys the library's CRUD handlers, with asset metadata as `cdk synth` writes it and staging off (as in `sam local`). */
  function crudStage(): Stage {
    const app = testApp({ context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:disable-asset-staging': true } });
    const stage = new Stage(app, 'Dev', { env: { account: '123456789012', region: 'eu-west-1' } });
    const api = new ServerlessApi(new Stack(stage, 'Api'), 'Api');
    api.addCrudResource('items', { readAuthorization: RouteAuthorization.none() });
    return stage;
  }

  test('GIVEN their asset paths point into the library\'s install folder THEN no hash and no folder is left in the snapshot', () => {
    const templates = stageTemplates(crudStage());
    const raw = JSON.stringify(templates);
    expect(raw).toMatch(/[0-9a-f]{64}/); // there were hashes to mask
    expect(raw).toContain(REPOSITORY_ROOT); // and the folder
    const text = printed(templates);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    expect(text).not.toContain(REPOSITORY_ROOT);
    expect(text).toContain('"aws:asset:path": "[serverless-api-constructs]');
  });
});
