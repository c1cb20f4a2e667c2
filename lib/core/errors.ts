import { IConstruct } from 'constructs';

/**
 * The one shape of every synth-time props error in this library:
 * `<construct path>: <prop> <problem> (received <value>). <how to fix>`
 *
 * @internal
 */
export function propError(scope: IConstruct, prop: string, value: unknown, problem: string, fix: string): Error {
  return new Error(`${scope.node.path}: ${prop} ${problem} (received ${describe(value)}). ${fix}`);
}

/** @internal */
export function describe(value: unknown): string {
  if (value === undefined) { return 'undefined'; }
  if (typeof value === 'string') { return `'${value}'`; }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) { return String(value); }
  if (Array.isArray(value)) { return `[${value.map(describe).join(', ')}]`; }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) { return json; }
  } catch {
    // Circular (a construct, say): name its class below rather than print '[object Object]'.
  }
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'Object'}` : typeof value;
}
