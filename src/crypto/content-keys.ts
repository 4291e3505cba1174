/**
 * Content data keys for `storage.content: full` (ADR 0008, update 2026-11-26): one random
 * AES-256 key per tenant (audit partition) and period (UTC day or month), stored wrapped
 * (sealed) under the master keyring beside the events, and destroyed by retention once the
 * whole period is past the tenant's retention (crypto-shredding). A sealed content value is
 * `c1.<data key id>.<base64url iv>.<base64url ciphertext+tag>`, bound (AAD) to its partition
 * and event id, so a ciphertext copied into another row or tenant does not open. Keys and
 * plaintext are never logged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { open, seal } from './envelope.ts';
import type { MasterKeyring } from './master-key.ts';

const VERSION = 'c1';

export type KeyPeriod = 'day' | 'month';

/** A data key as stored: wrapped under the master key, or destroyed (wrapped null). */
export interface StoredContentKey {
  partition: string;
  period: string;
  keyId: string;
  /** Sealed under the master keyring (envelope.ts); null once destroyed. */
  wrapped: string | null;
  createdAt: string;
  destroyedAt: string | null;
}

/** An unwrapped data key, held in memory only. */
export interface ContentKey {
  keyId: string;
  key: Buffer;
}

/** The period a time falls in: `YYYY-MM-DD` (day) or `YYYY-MM` (month), UTC. */
export function periodOf(timeMs: number, period: KeyPeriod): string {
  const iso = new Date(timeMs).toISOString();
  return period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
}

/** The first instant (epoch ms) after a period: everything sealed under its key is older than this. */
export function periodEndMs(period: string): number {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (day) return Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1);
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return Date.UTC(Number(month[1]), Number(month[2]), 1);
  throw new RangeError(`not a key period: ${JSON.stringify(period)}`);
}

/** AAD of a wrapped data key: which tenant and period it belongs to. */
const wrapContext = (partition: string, period: string, keyId: string): string => `bulwark-content-key|${partition}|${period}|${keyId}`;

/** A fresh data key for a partition and period, and its wrapped form for storage. */
export function newContentKey(keyring: MasterKeyring, partition: string, period: string): { key: ContentKey; wrapped: string } {
  const keyId = `ck_${randomBytes(8).toString('hex')}`;
  const key = randomBytes(32);
  return { key: { keyId, key }, wrapped: seal(keyring, key.toString('base64'), wrapContext(partition, period, keyId)) };
}

/** Unwraps a stored data key; throws when it was destroyed or its master key is not in the keyring. */
export function unwrapContentKey(keyring: MasterKeyring, stored: StoredContentKey): ContentKey {
  if (stored.wrapped === null) throw new Error(`content key ${stored.keyId} was destroyed (retention) at ${stored.destroyedAt ?? 'an unknown time'}`);
  const key = Buffer.from(open(keyring, stored.wrapped, wrapContext(stored.partition, stored.period, stored.keyId)), 'base64');
  if (key.length !== 32) throw new Error(`content key ${stored.keyId}: unwrapped to ${key.length} bytes, expected 32`);
  return { keyId: stored.keyId, key };
}

const contentContext = (partition: string, eventId: string): Buffer => Buffer.from(`bulwark-content|${partition}|${eventId}`, 'utf8');

/** Seals content text (the JSON of { request, response }) for one event. */
export function sealContent(key: ContentKey, partition: string, eventId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(contentContext(partition, eventId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${key.keyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The data key id a sealed content value names, or null when it is not one. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts.length === 4 && parts[0] === VERSION && parts[1] ? parts[1] : null;
}

/** Opens sealed content; throws when it was tampered with, moved to another event or tenant, or the key differs. */
export function openContent(key: ContentKey, partition: string, eventId: string, sealed: string): string {
  const [version, keyId, ivText, bodyText] = sealed.split('.');
  if (version !== VERSION || !ivText || !bodyText) throw new Error('sealed content: unknown format');
  if (keyId !== key.keyId) throw new Error(`sealed content: sealed under ${keyId}, not ${key.keyId}`);
  const body = Buffer.from(bodyText, 'base64url');
  if (body.length < 16) throw new Error('sealed content: truncated');
  const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(contentContext(partition, eventId));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
}
