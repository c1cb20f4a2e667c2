import { Resource, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';

/**
 * The region of a certificate when synth can know it: from a literal ARN, else from the stack of a
 * certificate created in this app. `undefined` when neither tells (an imported ARN token).
 * @internal
 */
export function certificateRegion(certificate: acm.ICertificate): string | undefined {
  const arn = certificate.certificateArn;
  if (!Token.isUnresolved(arn)) {
    return /^arn:[^:]+:acm:([^:]*):/.exec(arn)?.[1];
  }
  if (Resource.isOwnedResource(certificate) && !Token.isUnresolved(certificate.env.region)) {
    return certificate.env.region;
  }
  return undefined;
}
