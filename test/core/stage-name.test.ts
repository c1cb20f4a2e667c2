import { Lazy, Stack } from 'aws-cdk-lib';
import { checkStageName } from '../../lib/core/stage-name';

const RULE = 'Use 1-128 letters, digits, hyphens or underscores';

describe('checkStageName: the one API Gateway stage-name rule', () => {
  const scope = new Stack(undefined, 'Scope');
  const token = Lazy.string({ produce: () => 'dev' });

  // [value, stage name accepted, environment name accepted]
  const table: Array<[string, unknown, boolean, boolean]> = [
    ['a lower-case word', 'dev', true, true],
    ['letters, digits, - and _', 'Pre_prod-2', true, true],
    ['one character', 'a', true, true],
    ['128 characters', 'x'.repeat(128), true, true],
    ['129 characters', 'x'.repeat(129), false, false],
    ['empty', '', false, false],
    ['a space', 'my stage', false, false],
    ['a dot', 'v1.2', false, false],
    ['a slash', 'a/b', false, false],
    ['a non-ASCII letter', 'prüfung', false, false],
    ['a number', 42, false, false],
    ['undefined', undefined, false, false],
    ['an unresolved token', token, true, false],
  ];

  test.each(table)('%s: stage %s', (_what, value, stageOk) => {
    const check = () => checkStageName(scope, 'stageName', value);
    if (stageOk) {
      expect(check).not.toThrow();
    } else {
      expect(check).toThrow(/^Scope: stageName is not a valid API Gateway stage name \(received .*\)\. Use 1-128 letters, digits, hyphens or underscores, e\.g\. 'dev'\.$/);
    }
  });

  test.each(table)('%s: environment', (_what, value, _stageOk, environmentOk) => {
    const check = () => checkStageName(scope, 'environment name', value, 'environment');
    if (environmentOk) {
      expect(check).not.toThrow();
    } else {
      expect(check).toThrow(/^Scope: environment name is not a valid environment name \(received .*\)\. Use 1-128 letters, digits, hyphens or underscores, e\.g\. 'staging': it is also the API's stage name\.$/);
    }
  });

  test('the message names the value received', () => {
    expect(() => checkStageName(scope, 'stageName', 'my stage')).toThrow(
      `Scope: stageName is not a valid API Gateway stage name (received 'my stage'). ${RULE}, e.g. 'dev'.`);
  });
});
