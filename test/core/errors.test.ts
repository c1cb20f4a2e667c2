import { Stack } from 'aws-cdk-lib';
import { propError } from '../../lib/core/errors';

describe('propError', () => {
  test('GIVEN a value JSON cannot print (circular, like a construct) THEN the message names its class, not [object Object]', () => {
    class Node { public readonly self: Node = this; }
    expect(propError(new Stack(), 'api', new Node(), 'is wrong', 'Fix it.').message).toBe('Default: api is wrong (received a Node). Fix it.');
  });

  test('GIVEN a plain object THEN the message shows it as JSON', () => {
    const stack = new Stack();
    expect(propError(stack, 'limits', { rateLimit: 1 }, 'is wrong', 'Fix it.').message).toBe('Default: limits is wrong (received {"rateLimit":1}). Fix it.');
  });
});
