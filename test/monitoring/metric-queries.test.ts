import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { functionSearchExpressions, MAX_EXPRESSION_LENGTH } from '../../lib/monitoring/metric-queries';

describe('function SEARCH expressions', () => {
  const names = Array.from({ length: 1000 }, (_, i) => `Prod-Items-GetThingNumber${i}-1A2B3C4D`);

  test('GIVEN a thousand functions THEN every expression stays under CloudWatch\'s 1,024 characters and every function is graphed once', () => {
    const expressions = functionSearchExpressions(names, 'Errors', 'Sum', Duration.minutes(5));

    expect(expressions.length).toBeGreaterThan(1);
    expressions.forEach(e => expect(e.expression.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH));
    const graphed = expressions.flatMap(e => [...e.expression.matchAll(/FunctionName="([^"]+)"/g)].map(m => m[1]));
    expect(graphed).toEqual(names);
    expect(expressions[0].expression).toMatch(/^SEARCH\('\{AWS\/Lambda,FunctionName\} MetricName="Errors" \(FunctionName="Prod-Items-GetThingNumber0-1A2B3C4D" OR /);
    expect(expressions[0].expression).toMatch(/\)', 'Sum', 300\)$/);
  });

  test('GIVEN one function THEN one expression labelled with the metric', () => {
    const [only, ...rest] = functionSearchExpressions(['fn-a'], 'Duration', 'p99', Duration.minutes(1));

    expect(rest).toEqual([]);
    expect(only.expression).toBe('SEARCH(\'{AWS/Lambda,FunctionName} MetricName="Duration" (FunctionName="fn-a")\', \'p99\', 60)');
    expect(only.label).toBe('Duration');
  });

  test('GIVEN an expression THEN it is a CloudWatch search expression: graphed as SEARCH, refused on an alarm', () => {
    const [only] = functionSearchExpressions(['fn-a'], 'Errors', 'Sum', Duration.minutes(5));

    expect(only).toBeInstanceOf(cloudwatch.SearchExpression);
    expect(only.toMetricConfig().searchExpression?.expression).toBe(only.expression);
    expect(() => new cloudwatch.Alarm(new Stack(), 'Alarm', { metric: only, threshold: 1, evaluationPeriods: 1 }))
      .toThrow('Search expressions are not supported in CloudWatch Alarms.');
  });

  test('GIVEN unresolved names THEN each is budgeted at Lambda\'s 64 characters', () => {
    const tokens = Array.from({ length: 40 }, (_, i) => Lazy.string({ produce: () => `imported-${i}` }));
    const expressions = functionSearchExpressions(tokens, 'Errors', 'Sum', Duration.minutes(5));

    // 83 characters budgeted per name ('FunctionName=""', 64, ' OR '): eleven fit in 1,000 with the SEARCH around them.
    expect(expressions.length).toBe(Math.ceil(40 / 11));
  });
});
