/**
 * API Gateway mapping templates (Velocity), rendered locally the way API Gateway renders them.
 * Imports nothing from aws-cdk-lib: tests and the local server use it on synthesized bodies.
 */
export * from './context';
export * from './input';
export * from './integration';
export { formatJava, javaRegex, VtlError } from './java';
export * from './render';
export * from './util';
