import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** CloudWatch: a metric math expression an alarm evaluates can hold at most 10 metrics. @internal */
export const MAX_METRICS_PER_ALARM = 10;

/** Length kept below CloudWatch's limit on one expression (1,024 characters). @internal */
export const MAX_EXPRESSION_LENGTH = 1000;

/**
 * SEARCH expressions that graph `metricName` of the named functions: as few expressions as the 1,024
 * characters of an expression allow, instead of one metric per function (a dashboard body of a
 * thousand functions' metrics would weigh hundreds of KB in the template).
 *
 * aws-cdk-lib's `SearchExpression` (not a `MathExpression` with empty `usingMetrics`): it renders the
 * same dashboard entry, and refuses at synth to be put on an alarm, which cannot evaluate SEARCH.
 * @internal
 */
export function functionSearchExpressions(functionNames: string[], metricName: string, statistic: string, period: Duration): cloudwatch.SearchExpression[] {
  const head = `SEARCH('{AWS/Lambda,FunctionName} MetricName="${metricName}" (`;
  const tail = `)', '${statistic}', ${period.toSeconds()})`;
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = head.length + tail.length;
  for (const name of functionNames) {
    const term = `FunctionName="${name}"`;
    // A token (an imported function's name) is counted at the longest name Lambda allows.
    const termLength = (Token.isUnresolved(name) ? 'FunctionName=""'.length + 64 : term.length) + ' OR '.length;
    if (current.length > 0 && length + termLength > MAX_EXPRESSION_LENGTH) {
      chunks.push(current);
      current = [];
      length = head.length + tail.length;
    }
    current.push(term);
    length += termLength;
  }
  if (current.length > 0) { chunks.push(current); }
  return chunks.map((terms, i) => new cloudwatch.SearchExpression({
    expression: `${head}${terms.join(' OR ')}${tail}`,
    label: chunks.length > 1 ? `${metricName} ${i + 1}` : metricName,
    period,
  }));
}
