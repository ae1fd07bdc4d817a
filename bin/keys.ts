/**
 * Key pairs for a local installation, generated on first start and kept in the data folder:
 * the demo identity provider's RS256 pair (signs client tokens) and the gateway's ES256 pair
 * (signs internal tokens). Production points the same variables at keys it manages.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../platform/config';

export interface KeyFiles {
  issuerPrivateKey: string;
  issuerPublicKey: string;
  internalPrivateKey: string;
  internalPublicKey: string;
}

export function keyFiles(config: Config): KeyFiles {
  return {
    issuerPrivateKey: path.join(config.keysDir, 'demo-issuer-private.pem'),
    issuerPublicKey: config.JWT_PUBLIC_KEY_FILE ?? path.join(config.keysDir, 'demo-issuer-public.pem'),
    internalPrivateKey: config.INTERNAL_TOKEN_PRIVATE_KEY_FILE ?? path.join(config.keysDir, 'internal-private.pem'),
    internalPublicKey: config.INTERNAL_TOKEN_PUBLIC_KEY_FILE ?? path.join(config.keysDir, 'internal-public.pem'),
  };
}

/** Creates whichever of the local key pairs are missing. Keys configured explicitly are left alone. */
export function ensureLocalKeys(config: Config): KeyFiles {
  const files = keyFiles(config);
  // Only the keys folder is private: a recursive mkdir would make the data folder above it 0700
  // too, and the embedded PostgreSQL (run as nobody when root starts it) could not reach its own folder.
  mkdirSync(path.dirname(config.keysDir), { recursive: true });
  mkdirSync(config.keysDir, { recursive: true, mode: 0o700 });
  if (!config.JWT_PUBLIC_KEY_FILE && !config.JWT_JWKS_URL && !existsSync(files.issuerPrivateKey)) {
    writePair(files.issuerPrivateKey, files.issuerPublicKey, generateKeyPairSync('rsa', { modulusLength: 2048 }));
  }
  if (!config.INTERNAL_TOKEN_PRIVATE_KEY_FILE && !existsSync(files.internalPrivateKey)) {
    writePair(files.internalPrivateKey, files.internalPublicKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  }
  return files;
}

export function readKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read key file ${file}`);
  }
}

function writePair(privateFile: string, publicFile: string, pair: ReturnType<typeof generateKeyPairSync>): void {
  writeFileSync(privateFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
}
