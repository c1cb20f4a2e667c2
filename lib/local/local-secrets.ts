import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Local credentials of an IAM principal. */
export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface SecretsFile {
  signingKeyPem?: string;
  apiKeys: { [keyId: string]: string };
  credentials: { [principalArn: string]: LocalCredentials };
}

/**
 * The values a deployed stage would hold as secrets, generated locally: API key values, IAM access
 * keys of the stage's principals, and the RSA key that signs local Cognito tokens. Kept in
 * `<directory>/secrets.json` when a directory is given, so values stay the same across restarts
 * (and a token minted yesterday still verifies); in memory otherwise.
 */
export class LocalSecrets {
  private readonly data: SecretsFile;
  private key?: { privateKey: KeyObject; publicKey: KeyObject; kid: string };

  constructor(private readonly directory?: string) {
    const file = this.file();
    this.data = file && fs.existsSync(file)
      ? { apiKeys: {}, credentials: {}, ...JSON.parse(fs.readFileSync(file, 'utf8')) }
      : { apiKeys: {}, credentials: {} };
  }

  /** The value of an API key, generated (40 characters, like API Gateway's) on first use. */
  public apiKeyValue(keyId: string, given?: string): string {
    if (given !== undefined) { return given; }
    return this.remember(this.data.apiKeys, keyId, () => randomToken(40));
  }

  /** Access key and secret of a principal, generated on first use. */
  public credentials(principalArn: string): LocalCredentials {
    return this.remember(this.data.credentials, principalArn, () => ({
      accessKeyId: `AKIALOCAL${randomBytes(8).toString('hex').toUpperCase().slice(0, 11)}`,
      secretAccessKey: randomBytes(30).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 40),
    }));
  }

  /** The RSA key pair signing local Cognito tokens, and its key id. */
  public signingKey(): { privateKey: KeyObject; publicKey: KeyObject; kid: string } {
    if (!this.key) {
      if (!this.data.signingKeyPem) {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        this.data.signingKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        this.save();
      }
      const privateKey = createPrivateKey(this.data.signingKeyPem);
      const publicKey = createPublicKey(privateKey);
      const kid = `local-${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 16)}`;
      this.key = { privateKey, publicKey, kid };
    }
    return this.key;
  }

  private remember<T>(table: { [key: string]: T }, key: string, make: () => T): T {
    if (!(key in table)) {
      table[key] = make();
      this.save();
    }
    return table[key];
  }

  private file(): string | undefined {
    return this.directory ? path.join(this.directory, 'secrets.json') : undefined;
  }

  private save(): void {
    const file = this.file();
    if (!file) { return; }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(this.data, null, 2), { mode: 0o600 });
  }
}

function randomToken(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  return [...bytes].map(b => alphabet[b % alphabet.length]).join('');
}
