/**
 * One positive and one negative fixture per rule. Token bodies come from a seeded generator at
 * run time, so no credential-shaped literal sits in the source (and push protection stays quiet).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSecretDetector, detectSecrets } from './detect.ts';
import { bech32Encode } from './bech32.ts';
import { PROVIDER_RULES } from './provider-rules.ts';

let seed = 0x2f6b3a1d;
function random(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const UPPER_DIGITS = 'ABCDEFGHJKLMNPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const LOWER_DIGITS = 'abcdefghijkmnpqrstuvwxyz23456789';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz';
const B64 = `${ALNUM}+/`;

/** A random string without 4-long ascending/descending runs (so the sequence filter never fires by chance). */
function rnd(length: number, alphabet = ALNUM): string {
  let out = '';
  while (out.length < length) {
    const next = alphabet[Math.floor(random() * alphabet.length)]!;
    const prev = out.charCodeAt(out.length - 1);
    if (Math.abs(next.charCodeAt(0) - prev) === 1) continue;
    out += next;
  }
  return out;
}

/** A valid age secret key, and the same key with its last character changed (checksum broken). */
const ageKey = bech32Encode('age-secret-key-', Array.from({ length: 52 }, () => Math.floor(random() * 32))).toUpperCase();
const ageKeyBroken = `${ageKey.slice(0, -1)}${ageKey.endsWith('Q') ? 'P' : 'Q'}`;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function ruleIds(text: string): string[] {
  return detectSecrets(text).map((finding) => finding.ruleId);
}

/** [rule, positive text, negative text] */
const cases: Array<[string, string, string]> = [
  ['aws-access-key', `aws_access_key_id = AKIA${rnd(16, UPPER_DIGITS)}`, 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE'],
  ['aws-secret-key', `aws_secret_access_key = ${rnd(40, B64.replace('+', ''))}`, 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}'],
  ['gcp-api-key', `GOOGLE_API_KEY=AIza${rnd(35)}`, 'AIza-short-one'],
  ['google-oauth-secret', `client_secret: GOCSPX-${rnd(28)}`, 'GOCSPX-'],
  ['azure-storage-key', `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${rnd(86, B64)}==;EndpointSuffix=core.windows.net`, 'AccountKey=<your-account-key>'],
  ['azure-client-secret', `secret ${rnd(3)}8Q~${rnd(34)}`, 'Q~ alone'],
  ['github-token', `token ghp_${rnd(36)}`, 'ghp_short'],
  ['github-fine-grained-token', `github_pat_${rnd(22)}_${rnd(59)}`, 'github_pat_'],
  ['gitlab-token', `export GL=glpat-${rnd(20)}`, 'glpat-xxxxxxxxxxxxxxxxxxxx'],
  ['npm-token', `//registry.npmjs.org/:_authToken=npm_${rnd(36)}`, 'npm_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPL'],
  ['stripe-key', `STRIPE=sk_live_${rnd(24)}`, 'sk_live_123456789012345678901234'],
  ['slack-token', `xoxb-${rnd(12, '0123456789')}-${rnd(13, '0123456789')}-${rnd(24)}`, 'xoxb-'],
  ['slack-webhook', `https://hooks.slack.com/services/T${rnd(10, UPPER_DIGITS)}/B${rnd(10, UPPER_DIGITS)}/${rnd(24)}`, 'https://hooks.slack.com/services/'],
  ['telegram-bot-token', `bot ${rnd(9, '123456789')}:AA${rnd(33)}`, '12345:AAshort'],
  ['discord-webhook', `https://discord.com/api/webhooks/${rnd(18, '0123456789')}/${rnd(68)}`, 'https://discord.com/api/webhooks/1/abc'],
  ['sendgrid-key', `SG.${rnd(22)}.${rnd(43)}`, 'SG.short.short'],
  ['twilio-key', `SK${rnd(32, HEX)}`, 'SKU12345'],
  ['openai-key', `OPENAI_API_KEY=sk-proj-${rnd(20)}T3BlbkFJ${rnd(20)}`, 'sk-proj-your-key-here'],
  ['anthropic-key', `ANTHROPIC_API_KEY=sk-ant-api03-${rnd(93)}AA`, 'sk-ant-api03-xxxxxxxx'],
  ['huggingface-token', `HF_TOKEN=hf_${rnd(34, LETTERS)}`, 'hf_1234'],
  ['databricks-token', `dapi${rnd(32, HEX)}`, 'dapi0123456789abcdef0123456789abcdef'],
  ['age-secret-key', `identity: ${ageKey}`, `identity: ${ageKeyBroken}`],
  ['akamai-token', `client_token = akab-${rnd(16, LOWER_DIGITS)}-${rnd(16, LOWER_DIGITS)}`, `host: akab-${rnd(16, LOWER_DIGITS)}-${rnd(16, LOWER_DIGITS)}.luna.akamaiapis.net`],
  ['docker-token', `dckr_pat_${rnd(27)}`, 'dckr_pat_EXAMPLE-EXAMPLE-EXAMPLE'],
  ['sonarqube-token', `sonar.login=squ_${rnd(40, HEX)}`, 'sqp_abcdef1234567890abcdef1234567890abcdef'],
  ['private-key', `-----BEGIN RSA PRIVATE KEY-----\n${rnd(64, B64)}\n${rnd(64, B64)}\n-----END RSA PRIVATE KEY-----`, '-----BEGIN OPENSSH FAKE PRIVATE KEY-----'],
  ['jwk-private-key', `{"kty": "EC", "crv": "P-256", "x": "${rnd(43)}", "y": "${rnd(43)}", "d": "${rnd(43)}"}`, `{"kty": "EC", "crv": "P-256", "x": "${rnd(43)}", "y": "${rnd(43)}"}`],
  ['jwt', `Bearer ${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: 'u1', exp: 2000000000 })}.${rnd(43)}`, `${b64url({ alg: 'HS256' })}.NiIsInR5cCI6IkpXV.NiIsInR5cCI6IkpXV`],
  ['url-password', `DATABASE_URL=postgres://app:${rnd(12)}9@db.internal:5432/app`, 'postgres://app:${DB_PASSWORD}@db.internal/app'],
  ['password-assignment', `db_password = "${rnd(10)}7!"`, 'password_id = 4417'],
  ['password-assignment', `MYSQL_ROOT_PASSWORD=${rnd(12)}4`, 'bypass = "skip-check!"'],
  ['secret-assignment', `"client_secret": "${rnd(24)}"`, '"client_secret": "<your-client-secret>"'],
  ['secret-assignment', `api_key: ${rnd(32)}`, 'api_key: changeme'],
  ['cli-password', `curl -u admin:${rnd(10)}5 https://api.internal`, 'curl -u "$USER:$PASSWORD" https://api.internal'],
  ['cli-password', `mysql -u root -p${rnd(10)}3 -h db`, 'mysql -u root -p -h db'],
  ['sql-password', `CREATE USER app WITH PASSWORD '${rnd(10)}8';`, "ALTER USER 'svc'@'%' PASSWORD EXPIRE NEVER;"],
  ['authorization-header', `Authorization: Basic ${Buffer.from(`admin:${rnd(10)}`).toString('base64')}`, 'Authorization: Bearer <token>'],
  ['high-entropy-token', `the signing key is ${rnd(40, B64)}`, `integrity sha512-${rnd(64, B64)}`],
];

/** More provider formats: [rule, text around a random body, body length, alphabet]. The negative swaps part of the body for EXAMPLE. */
const providerCases: Array<[string, (body: string) => string, number, string?]> = [
  ['aws-mws-key', (b) => `amzn.mws.${b.slice(0, 8)}-${b.slice(8, 12)}-${b.slice(12, 16)}-${b.slice(16, 20)}-${b.slice(20, 32)}`, 32, LOWER_DIGITS],
  ['aws-bedrock-key', (b) => `bedrock-api-key-${b}`, 40],
  ['aws-appsync-key', (b) => `apiKey: da2-${b}`, 26, LOWER_DIGITS],
  ['google-oauth-token', (b) => `ya29.${b}`, 40],
  ['google-refresh-token', (b) => `refresh 1//0${b}`, 60],
  ['google-oauth-client-id', (b) => `48213377019-${b}.apps.googleusercontent.com`, 32, LOWER_DIGITS],
  ['azure-sas-token', (b) => `https://acct.blob.core.windows.net/c?sv=2022-11-02&ss=b&sp=r&sig=${b}%3D`, 44],
  ['azure-ai-key', (b) => `${b.slice(0, 52)}JQQJ99${b.slice(52)}`, 84],
  ['alibaba-access-key', (b) => `LTAI${b}`, 20],
  ['digitalocean-token', (b) => `dop_v1_${b}`, 64, HEX],
  ['cloudflare-token', (b) => `cfut_${b}`, 48],
  ['hashicorp-token', (b) => `VAULT_TOKEN=hvs.${b}`, 90],
  ['dynatrace-token', (b) => `dt0c01.${b.slice(0, 24)}.${b.slice(24)}`, 88, UPPER_DIGITS],
  ['doppler-token', (b) => `dp.pt.${b}`, 43],
  ['docker-swarm-token', (b) => `SWMKEY-1-${b}`, 43],
  ['jfrog-token', (b) => `AKCp${b}`, 69],
  ['gitlab-runner-registration-token', (b) => `GR1348941${b}`, 20],
  ['gitlab-session', (b) => `Cookie: _gitlab_session=${b}`, 32, HEX],
  ['bitbucket-token', (b) => `ATBB${b}`, 32],
  ['atlassian-token', (b) => `ATATT3${b}`, 180],
  ['pypi-token', (b) => `pypi-AgEIcHlwaS5vcmc${b}`, 80],
  ['nuget-key', (b) => `oy2${b}`, 43, LOWER_DIGITS],
  ['rubygems-key', (b) => `rubygems_${b}`, 48, HEX],
  ['postman-key', (b) => `PMAK-${b.slice(0, 24)}-${b.slice(24)}`, 58, HEX],
  ['vercel-token', (b) => `vcp_${b}`, 56],
  ['netlify-token', (b) => `nfp_${b}`, 36],
  ['supabase-token', (b) => `sbp_${b}`, 40, HEX],
  ['planetscale-token', (b) => `pscale_tkn_${b}`, 43],
  ['linear-key', (b) => `lin_api_${b}`, 40],
  ['square-token', (b) => `sq0csp-${b}`, 43],
  ['paypal-braintree-token', (b) => `access_token$production$${b.slice(0, 16)}$${b.slice(16)}`, 48, HEX],
  ['discord-bot-token', (b) => `MT${b.slice(0, 24)}.${b.slice(24, 30)}.${b.slice(30)}`, 68],
  ['mailgun-key', (b) => `key-${b}`, 32, HEX],
  ['mailchimp-key', (b) => `${b}-us21`, 32, HEX],
  ['shopify-token', (b) => `shpat_${b}`, 32, HEX],
  ['facebook-token', (b) => `EAAC${b}`, 100],
  ['instagram-token', (b) => `IGQV${b}`, 140],
  ['twitter-bearer-token', (b) => `AAAAAAAAAAAAAAAAAAAAA${b}`, 90],
  ['dropbox-token', (b) => `sl.${b}`, 140],
  ['newrelic-key', (b) => `NRAK-${b}`, 27, UPPER_DIGITS],
  ['sentry-token', (b) => `sntrys_${b}`, 80],
  ['posthog-key', (b) => `phx_${b}`, 47],
  ['grafana-token', (b) => `glsa_${b.slice(0, 32)}_${b.slice(32, 40)}`, 40, HEX],
  ['salesforce-token', (b) => `00D${b.slice(0, 15)}!${b.slice(15)}`, 110],
  ['openai-project-key', (b) => `sk-proj-${b}`, 120],
  ['groq-key', (b) => `gsk_${b}`, 52],
  ['perplexity-key', (b) => `pplx-${b}`, 48],
  ['tavily-key', (b) => `tvly-${b}`, 32],
  ['replicate-token', (b) => `r8_${b}`, 37],
  ['llamacloud-key', (b) => `llx-${b}`, 48],
  ['xai-key', (b) => `xai-${b}`, 80],
  ['wundergraph-key', (b) => `cosmo_${b}`, 32, HEX],
];

describe('secrets rules', () => {
  for (const [rule, positive, negative] of cases) {
    it(`${rule}: finds the positive, not the negative`, () => {
      assert.ok(ruleIds(positive).includes(`secrets/${rule}`), `expected secrets/${rule} in ${JSON.stringify(positive)}, got ${ruleIds(positive).join(', ') || 'nothing'}`);
      assert.ok(!ruleIds(negative).includes(`secrets/${rule}`), `unexpected secrets/${rule} in ${JSON.stringify(negative)}`);
    });
  }

  for (const [rule, build, length, alphabet] of providerCases) {
    it(`${rule}: finds the format, drops the EXAMPLE variant`, () => {
      const body = rnd(length, alphabet ?? ALNUM);
      const positive = build(body);
      assert.ok(ruleIds(positive).includes(`secrets/${rule}`), `expected secrets/${rule} in ${positive}, got ${ruleIds(positive).join(', ') || 'nothing'}`);
      const negative = build(`${body.slice(0, 4)}EXAMPLE${body.slice(11)}`);
      assert.ok(!ruleIds(negative).includes(`secrets/${rule}`), `unexpected secrets/${rule} in ${negative}`);
    });
  }

  it('has a fixture for every provider rule', () => {
    const covered = new Set([...cases.map(([rule]) => rule), ...providerCases.map(([rule]) => rule)]);
    assert.deepEqual(PROVIDER_RULES.map((rule) => rule.name).filter((name) => !covered.has(name)), []);
  });

  it('every provider rule compiles and has a stable, unique name', () => {
    const names = PROVIDER_RULES.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.match(name, /^[a-z0-9-]+$/);
    assert.ok(PROVIDER_RULES.length >= 60);
  });

  it('reports the value span and never the value in evidence', () => {
    const token = `ghp_${rnd(36)}`;
    const text = `GITHUB_TOKEN=${token} # ci`;
    const [finding] = detectSecrets(text);
    assert.ok(finding);
    assert.equal(text.slice(finding.start, finding.end), token);
    assert.equal(finding.evidence, 'secrets/github-token ghp_****');
    assert.ok(!finding.evidence.includes(token.slice(4, 10)));
  });

  it('spans a whole PEM block and marks encrypted keys as low', () => {
    const block = `-----BEGIN PRIVATE KEY-----\n${rnd(64, B64)}\n${rnd(20, B64)}==\n-----END PRIVATE KEY-----`;
    const text = `key:\n${block}\nbye`;
    const [finding] = detectSecrets(text);
    assert.equal(finding?.ruleId, 'secrets/private-key');
    assert.equal(text.slice(finding!.start, finding!.end), block);
    const encrypted = detectSecrets(`-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n${rnd(64, B64)}\n-----END RSA PRIVATE KEY-----`);
    assert.deepEqual(encrypted.map((f) => [f.ruleId, f.severity]), [['secrets/encrypted-private-key', 'low']]);
  });

  it('finds the private key of a GCP service-account JSON file (escaped newlines)', () => {
    const key = `-----BEGIN PRIVATE KEY-----\\n${rnd(64, B64)}\\n${rnd(64, B64)}\\n-----END PRIVATE KEY-----\\n`;
    const json = `{"type": "service_account", "project_id": "demo", "private_key_id": "${rnd(40, HEX)}", "private_key": "${key}", "client_email": "svc@demo.iam.gserviceaccount.com"}`;
    const findings = detectSecrets(json);
    const pem = findings.find((f) => f.ruleId === 'secrets/private-key');
    assert.ok(pem);
    assert.ok(json.slice(pem.start, pem.end).startsWith('-----BEGIN PRIVATE KEY-----') && json.slice(pem.start, pem.end).endsWith('-----END PRIVATE KEY-----'));
  });

  it('finds key material lines but not MIME-wrapped base64', () => {
    assert.deepEqual(ruleIds(`   * ${rnd(64, B64)}`), ['secrets/key-material']);
    assert.deepEqual(ruleIds(rnd(76, B64)), []);
  });

  it('leaves UUIDs, hashes and lockfile checksums without context alone', () => {
    assert.deepEqual(ruleIds('request id 3f2b8c1e-9a7d-4e2b-8c1f-2a9b7d4e6c10 done'), []);
    assert.deepEqual(ruleIds(`commit ${rnd(40, HEX)}`), []);
    assert.deepEqual(ruleIds(`"integrity": "sha512-${rnd(86, B64)}=="`), []);
    assert.deepEqual(ruleIds('user_name = "blue_river_delta"'), []);
  });

  it('honours rule groups, the allow list and custom rules', () => {
    const token = `ghp_${rnd(36)}`;
    assert.deepEqual(compileSecretDetector({ groups: ['jwt'] }).detect(token), []);
    assert.deepEqual(compileSecretDetector({ allowStrings: [token] }).detect(token), []);
    assert.deepEqual(compileSecretDetector({ allowPatterns: ['ghp_[0-9A-Za-z]+'] }).detect(token), []);
    const custom = compileSecretDetector({ groups: [], customRules: [{ id: 'acme', pattern: '\\bACME-([0-9]{8})\\b', severity: 'medium' }] }).detect('ticket ACME-48213377');
    assert.deepEqual(custom.map((f) => [f.ruleId, f.start, f.end, f.severity]), [['secrets/custom/acme', 12, 20, 'medium']]);
    assert.throws(() => compileSecretDetector({ customRules: [{ id: 'bad', pattern: '(a)\\1' }] }), /customRules\[0\] \(bad\)/);
  });

  it('stays linear on long hostile input', () => {
    const inputs = ['a:'.repeat(200_000), `password=${'x'.repeat(500_000)}`, '-----BEGIN PRIVATE KEY-----'.repeat(20_000), `${'ey'.repeat(100_000)}.ey.`];
    for (const input of inputs) {
      const started = performance.now();
      detectSecrets(input);
      assert.ok(performance.now() - started < 2000, `slow on ${input.slice(0, 20)}…`);
    }
  });
});
