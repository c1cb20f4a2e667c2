import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { ServerlessApi } from '../api/serverless-api';
import { clientDocument, withoutTokens } from './openapi-export';

/** The folder of the cloud assembly (of the API's stage) the documents are written to. */
export const OPENAPI_FOLDER = 'openapi';

/** Duck-typed ApiDomain (lib/domain/api-domain.ts imports the API; importing it back would be a cycle). */
interface DomainLike {
  readonly domainName: string;
  readonly mappings: Array<{ readonly basePath?: string; readonly api: unknown }>;
}

function isDomain(c: IConstruct): c is IConstruct & DomainLike {
  return typeof (c as any).domainName === 'string' && Array.isArray((c as any).mappings) && typeof (c as any).addBasePath === 'function';
}

/** The URLs clients call: the stage's execute-api URL, then each custom domain mapping (base path included). */
export function apiServers(api: ServerlessApi): Array<Record<string, any>> {
  const stack = Stack.of(api);
  const region = Token.isUnresolved(stack.region) ? '{region}' : stack.region;
  const suffix = Token.isUnresolved(stack.urlSuffix) ? 'amazonaws.com' : stack.urlSuffix;
  const stage: Record<string, any> = {
    url: `https://{restApiId}.execute-api.${region}.${suffix}/${api.stageName}`,
    description: `The ${api.stageName} stage`,
    variables: {
      restApiId: { default: 'restApiId', description: `The REST API's ID, known once deployed (the stack output of ${api.node.path}).` },
      ...(region === '{region}' ? { region: { default: 'us-east-1', description: 'The region the stack is deployed to.' } } : {}),
    },
  };
  const root = Stage.of(api) ?? api.node.root;
  const domains: Array<Record<string, any>> = [];
  for (const c of root.node.findAll()) {
    if (!isDomain(c) || Token.isUnresolved(c.domainName)) { continue; }
    for (const mapping of c.mappings) {
      if (mapping.api === api) {
        domains.push({ url: `https://${c.domainName}${mapping.basePath ? `/${mapping.basePath}` : ''}`, description: `Custom domain ${c.domainName}` });
      }
    }
  }
  domains.sort((a, b) => a.url.localeCompare(b.url));
  return [stage, ...domains];
}

/**
 * The API's OpenAPI 3.0 document for clients (see openapi-export.ts): its paths, schemas and security,
 * no AWS extension, no ARN, servers = the stage URL and the custom domain URLs.
 * @internal
 */
export function apiClientDocument(api: ServerlessApi): Record<string, any> {
  const stack = Stack.of(api);
  const definition = stack.resolve(api.renderDefinition());
  return withoutTokens(clientDocument(definition, {
    servers: apiServers(api),
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    dropPreflights: api._cors !== undefined,
  }));
}

/** `<API path below its stage, joined by '-'>.json`, e.g. 'ItemsService-ItemsApi.json'. */
export function documentFileName(api: ServerlessApi): string {
  const scopes = api.node.scopes;
  const stage = Stage.of(api);
  const start = stage ? scopes.indexOf(stage) + 1 : 1;
  return `${scopes.slice(start).map(s => s.node.id).join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/**
 * Writes the client document of `api` into the cloud assembly of its stage at every synthesis:
 * `<outdir>/openapi/<file>` (`cdk.out/openapi/...` for a stack of the app,
 * `cdk.out/assembly-<Stage>/openapi/...` for a stack in a cdk.Stage).
 * @internal
 */
export function exportOnSynth(api: ServerlessApi): void {
  attachCustomSynthesis(api, {
    onSynthesize: session => {
      const dir = path.join(session.outdir, OPENAPI_FOLDER);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, documentFileName(api)), `${JSON.stringify(apiClientDocument(api), null, 2)}\n`);
    },
  });
}
