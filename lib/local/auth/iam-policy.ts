import { BlockList, isIP } from 'net';
import type { PolicyStatement } from '../assembly/stage-model';

/** What a policy is asked about. */
export interface AccessRequest {
  /** e.g. 'execute-api:Invoke', 'lambda:InvokeFunction'. */
  readonly action: string;
  /** The resource's ARN. */
  readonly resource: string;
  /** The caller's ARN ('*' for an anonymous caller), for resource policies' Principal. */
  readonly principalArn?: string;
  /** The caller's account, for resource policies naming an account. */
  readonly principalAccount?: string;
  /** Condition keys: 'aws:SourceIp', 'aws:PrincipalArn', ... */
  readonly context: { [key: string]: string | string[] | undefined };
}

/** 'Allow' or 'Deny' when a statement matched (Deny wins), undefined when none did. */
export type Decision = 'Allow' | 'Deny' | undefined;

/**
 * Evaluates IAM policy statements for one request, as IAM does: an explicit Deny wins, else an Allow,
 * else nothing (implicit deny). Actions, NotAction, Resource, NotResource and Principal/NotPrincipal
 * match with `*` and `?` wildcards; conditions support the String*, Arn*, Numeric*, Bool, Null,
 * IpAddress / NotIpAddress operators with `...IfExists` and `ForAnyValue:` / `ForAllValues:`.
 * A condition operator it does not know makes the statement not apply (and is reported by `unknown`).
 */
export function evaluatePolicy(statements: PolicyStatement[], request: AccessRequest, unknown: (operator: string) => void = () => undefined): Decision {
  let decision: Decision;
  for (const statement of statements) {
    if (!statementApplies(statement, request, unknown)) { continue; }
    if (statement.Effect === 'Deny') { return 'Deny'; }
    if (statement.Effect === 'Allow') { decision = 'Allow'; }
  }
  return decision;
}

function statementApplies(s: PolicyStatement, r: AccessRequest, unknown: (operator: string) => void): boolean {
  if (s.Action !== undefined && !list(s.Action).some(a => wildcard(a, r.action, true))) { return false; }
  if (s.NotAction !== undefined && list(s.NotAction).some(a => wildcard(a, r.action, true))) { return false; }
  if (s.Resource !== undefined && !list(s.Resource).some(p => wildcard(p, r.resource, false))) { return false; }
  if (s.NotResource !== undefined && list(s.NotResource).some(p => wildcard(p, r.resource, false))) { return false; }
  if (s.Principal !== undefined && !principalMatches(s.Principal, r)) { return false; }
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, r)) { return false; }
  return conditionsHold(s.Condition ?? {}, r.context, unknown);
}

function principalMatches(principal: unknown, r: AccessRequest): boolean {
  if (principal === '*') { return true; }
  if (!principal || typeof principal !== 'object') { return false; }
  const aws = (principal as Record<string, unknown>).AWS;
  if (aws === undefined) { return false; }
  return list(aws as string | string[]).some(p => {
    const value = String(p);
    if (value === '*') { return true; }
    if (r.principalArn === undefined || r.principalArn === '*') { return false; }
    if (/^\d{12}$/.test(value) || /^arn:aws:iam::\d{12}:root$/.test(value)) {
      return r.principalAccount === value.replace(/^arn:aws:iam::(\d{12}):root$/, '$1');
    }
    return wildcard(value, r.principalArn, false);
  });
}

function conditionsHold(conditions: Record<string, Record<string, unknown>>, context: AccessRequest['context'], unknown: (operator: string) => void): boolean {
  for (const [rawOperator, entries] of Object.entries(conditions)) {
    let operator = rawOperator;
    let set: 'any' | 'all' | undefined;
    if (operator.startsWith('ForAnyValue:')) { set = 'any'; operator = operator.slice(12); }
    if (operator.startsWith('ForAllValues:')) { set = 'all'; operator = operator.slice(13); }
    const ifExists = operator.endsWith('IfExists');
    if (ifExists) { operator = operator.slice(0, -'IfExists'.length); }
    for (const [key, expected] of Object.entries(entries ?? {})) {
      const actual = lookup(context, key);
      const expectedValues = list(expected as string | string[]).map(String);
      if (operator === 'Null') {
        const wantsMissing = expectedValues[0] === 'true';
        if (wantsMissing !== (actual === undefined)) { return false; }
        continue;
      }
      if (actual === undefined) {
        if (ifExists || set === 'all') { continue; }
        return false;
      }
      const test = operatorTest(operator);
      if (!test) {
        unknown(rawOperator);
        return false;
      }
      const actualValues = list(actual);
      const negated = operator.startsWith('Not') || operator.includes('Not');
      const one = (a: string) => test(a, expectedValues);
      let ok: boolean;
      if (set === 'all') {
        ok = actualValues.every(one);
      } else if (negated) {
        ok = actualValues.every(one);
      } else {
        ok = actualValues.some(one);
      }
      if (!ok) { return false; }
    }
  }
  return true;
}

function operatorTest(operator: string): ((actual: string, expected: string[]) => boolean) | undefined {
  switch (operator) {
    case 'StringEquals': case 'ArnEquals': return (a, e) => e.includes(a);
    case 'StringNotEquals': case 'ArnNotEquals': return (a, e) => !e.includes(a);
    case 'StringEqualsIgnoreCase': return (a, e) => e.some(x => x.toLowerCase() === a.toLowerCase());
    case 'StringNotEqualsIgnoreCase': return (a, e) => !e.some(x => x.toLowerCase() === a.toLowerCase());
    case 'StringLike': case 'ArnLike': return (a, e) => e.some(x => wildcard(x, a, false));
    case 'StringNotLike': case 'ArnNotLike': return (a, e) => !e.some(x => wildcard(x, a, false));
    case 'NumericEquals': return (a, e) => e.some(x => Number(a) === Number(x));
    case 'NumericNotEquals': return (a, e) => !e.some(x => Number(a) === Number(x));
    case 'NumericLessThan': return (a, e) => e.some(x => Number(a) < Number(x));
    case 'NumericLessThanEquals': return (a, e) => e.some(x => Number(a) <= Number(x));
    case 'NumericGreaterThan': return (a, e) => e.some(x => Number(a) > Number(x));
    case 'NumericGreaterThanEquals': return (a, e) => e.some(x => Number(a) >= Number(x));
    case 'Bool': return (a, e) => e.some(x => x.toLowerCase() === a.toLowerCase());
    case 'IpAddress': return (a, e) => inCidrs(a, e);
    case 'NotIpAddress': return (a, e) => !inCidrs(a, e);
    default: return undefined;
  }
}

/** Whether `address` is in one of the CIDR blocks (IPv4, IPv6, and IPv4-mapped IPv6 addresses). */
export function inCidrs(address: string, cidrs: string[]): boolean {
  const plain = address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  const family = isIP(plain);
  if (family === 0) { return false; }
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, prefix] = cidr.split('/');
    const netFamily = isIP(net);
    if (netFamily === 0) { continue; }
    const type = netFamily === 4 ? 'ipv4' : 'ipv6';
    list.addSubnet(net, prefix === undefined ? (netFamily === 4 ? 32 : 128) : Number(prefix), type);
  }
  return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

function lookup(context: AccessRequest['context'], key: string): string | string[] | undefined {
  if (key in context) { return context[key]; }
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(context)) {
    if (k.toLowerCase() === lower) { return v; }
  }
  return undefined;
}

/** IAM's `*` (any run of characters) and `?` (one character) patterns. Actions compare case-insensitively. */
export function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const regex = new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`, ignoreCase ? 'is' : 's');
  return regex.test(value);
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
