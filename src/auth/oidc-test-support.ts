import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** Test helper: a signing key with its public JWK, and a JWT signer (tests make their own tokens; no identity provider needed). */
export interface TestSigner {
  alg: 'RS256' | 'ES256' | 'EdDSA';
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function makeSigner(alg: TestSigner['alg'], kid: string): TestSigner {
  const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return { alg, kid, privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs `claims` with the signer (header overrides allow forged algorithms and kids). */
export function signJwt(signer: TestSigner, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const head = b64({ alg: signer.alg, typ: 'JWT', kid: signer.kid, ...header });
  const body = b64(claims);
  const data = Buffer.from(`${head}.${body}`);
  const signature = signer.alg === 'RS256' ? sign('sha256', data, signer.privateKey) : signer.alg === 'ES256' ? sign('sha256', data, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' }) : sign(null, data, signer.privateKey);
  return `${head}.${body}.${signature.toString('base64url')}`;
}

export const jwksOf = (...signers: TestSigner[]): string => JSON.stringify({ keys: signers.map((signer) => signer.jwk) });
