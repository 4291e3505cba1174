/**
 * What the name of an assigned value says about it: `db_password` holds a password, `apiKey` a
 * token, `password_id` or `token_url` neither. Names are split on punctuation and camelCase.
 */

export type KeyKind = 'password' | 'secret' | 'key';

/** Components that hold a token or secret when they end a name (or precede a neutral suffix). */
const SECRET_WORDS = new Set([
  'secret', 'secrets', 'token', 'tokens', 'apikey', 'api', 'credential', 'credentials', 'cred', 'creds', 'auth', 'authkey', 'authtoken',
  'accesstoken', 'refreshtoken', 'accesskey', 'secretkey', 'privatekey', 'clientsecret', 'bearer', 'sessiontoken', 'signingkey', 'encryptionkey',
  'masterkey', 'webhooksecret', 'connectionstring', 'authorization', 'authentication',
]);

/** Generic `key`: only with a strong value. */
const KEY_WORDS = new Set(['key', 'keys']);

/** Words after which the value describes the secret instead of being it. */
const NEUTRAL_SUFFIXES = new Set([
  'id', 'ids', 'name', 'names', 'type', 'types', 'length', 'len', 'min', 'max', 'hash', 'hashed', 'file', 'path', 'url', 'uri', 'endpoint', 'field',
  'policy', 'hint', 'label', 'prompt', 'regex', 'pattern', 'format', 'reset', 'expiry', 'expires', 'expiration', 'ttl', 'count', 'size', 'mode',
  'enabled', 'required', 'provider', 'header', 'param', 'version', 'prefix', 'rotation', 'env', 'var', 'ref', 'location', 'dir', 'alias', 'kind',
  'digest', 'checksum', 'algorithm', 'algo', 'encoding', 'filter', 'filtered', 'changed', 'updated', 'at', 'date', 'time', 'strength', 'rules',
  'validation', 'error', 'message', 'msg', 'text', 'placeholder', 'input', 'button', 'link', 'form', 'index', 'class', 'style', 'manager', 'store',
]);

/** Words ending in "pass" that are not passwords. */
const NOT_PASS = new Set(['bypass', 'compass', 'surpass', 'trespass', 'overpass', 'underpass', 'encompass', 'sass', 'mass', 'class', 'glass', 'grass', 'brass']);

/** Splits a name into lowercase components: `AwsSecretKey` -> aws, secret, key; `db_PASSWORD` -> db, password. */
export function keyComponents(key: string): string[] {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced.toLowerCase().split(/[^a-z0-9]+/).filter((part) => part.length > 0);
}

function passwordLike(component: string): boolean {
  if (component === 'pw' || component === 'pwd' || component === 'pass' || component === 'passwd' || component === 'passcode' || component === 'passphrase') return true;
  if (/passw|pasw|pssw|psw|pwd/.test(component)) return true;
  if (component.endsWith('pass') && !NOT_PASS.has(component)) return true;
  return false;
}

/** The kind of value a name holds, or null when it is not secret-bearing. */
export function keyKind(key: string): KeyKind | null {
  const parts = keyComponents(key);
  // The last non-neutral component decides; a neutral suffix after it (`password_id`) disqualifies.
  let last = parts.length - 1;
  if (last < 0) return null;
  if (NEUTRAL_SUFFIXES.has(parts[last]!)) return null;
  for (let i = last; i >= 0 && i >= last - 3; i--) {
    const part = parts[i]!;
    if (passwordLike(part)) return 'password';
    if (SECRET_WORDS.has(part)) return 'secret';
    if (KEY_WORDS.has(part)) {
      const previous = parts[i - 1];
      if (previous === 'api' || previous === 'access' || previous === 'secret' || previous === 'private' || previous === 'auth' || previous === 'client' || previous === 'master' || previous === 'encryption' || previous === 'signing') return 'secret';
      return 'key';
    }
  }
  return null;
}
