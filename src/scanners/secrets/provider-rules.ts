/**
 * Provider key formats: one entry per documented token shape, as RE2 source (linear time).
 * Capture group 1, when present, is the secret value (the span that is reported and replaced);
 * otherwise the whole match is. `literals` are substrings one of which must occur for the rule
 * to run at all (a cheap prefilter; case-sensitive unless `caseless`).
 */
import type { Severity } from '../types.ts';
import { hasFakeMarker, hasSequence, shannonEntropy } from './value-checks.ts';
import { bech32Valid } from './bech32.ts';

export interface ProviderRule {
  /** Rule name; findings use `secrets/<name>`. */
  name: string;
  description: string;
  severity: Severity;
  score: number;
  pattern: string;
  literals: readonly string[];
  caseless?: boolean;
  /** Extra check on the value (group 1 or whole match) and the text after the match. */
  validate?: (value: string, after: string) => boolean;
  /** Skip the sequence check (`123456`) for formats that legitimately contain runs. */
  allowSequences?: boolean;
}

const B = '(?:^|[^0-9A-Za-z_])'; // left boundary usable before `_`-prefixed tokens
const E = '(?:[^0-9A-Za-z_]|$)'; // right boundary

/** Not followed by a hostname continuation (`akab-...-....akamaiapis.net` is a host, not a token). */
const notHost = (_value: string, after: string): boolean => !/^[.\w-]/.test(after);
const entropyAtLeast = (bits: number) => (value: string): boolean => shannonEntropy(value) >= bits;

export const PROVIDER_RULES: readonly ProviderRule[] = [
  // Cloud providers
  { name: 'aws-access-key', description: 'AWS access key id', severity: 'high', score: 0.9, pattern: `\\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\\b`, literals: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'] },
  { name: 'aws-secret-key', description: 'AWS secret access key next to its name', severity: 'critical', score: 0.95, pattern: `(?i)aws_?secret_?(?:access_?)?key["']?\\s*[:=]\\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)`, literals: ['secret', 'SECRET', 'Secret'] },
  { name: 'aws-mws-key', description: 'Amazon MWS auth token', severity: 'high', score: 0.9, pattern: `\\b(amzn\\.mws\\.[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12})\\b`, literals: ['amzn.mws.'] },
  { name: 'aws-bedrock-key', description: 'Amazon Bedrock API key', severity: 'high', score: 0.9, pattern: `\\b((?:bedrock-api-key-[A-Za-z0-9+/=]{20,})|(?:ABSK[A-Za-z0-9+/]{100,}={0,2}))`, literals: ['bedrock-api-key-', 'ABSK'] },
  { name: 'aws-appsync-key', description: 'AWS AppSync API key', severity: 'medium', score: 0.8, pattern: `\\b(da2-[a-z0-9]{26})\\b`, literals: ['da2-'] },
  { name: 'gcp-api-key', description: 'Google Cloud / Google AI (Gemini) API key', severity: 'high', score: 0.9, pattern: `\\b(AIza[0-9A-Za-z_\\-]{35})(?:[^0-9A-Za-z_\\-]|$)`, literals: ['AIza'] },
  { name: 'google-oauth-token', description: 'Google OAuth access token', severity: 'high', score: 0.9, pattern: `\\b(ya29\\.[0-9A-Za-z_\\-]{20,})`, literals: ['ya29.'] },
  { name: 'google-oauth-secret', description: 'Google OAuth client secret', severity: 'high', score: 0.9, pattern: `\\b(GOCSPX-[0-9A-Za-z_\\-]{28})`, literals: ['GOCSPX-'] },
  { name: 'google-refresh-token', description: 'Google OAuth refresh token', severity: 'high', score: 0.9, pattern: `(?:^|[^0-9A-Za-z/])(1//0[0-9A-Za-z_\\-]{40,})`, literals: ['1//0'] },
  { name: 'google-oauth-client-id', description: 'Google OAuth client id (identifies an app; pair it with its secret)', severity: 'low', score: 0.6, pattern: `\\b([0-9]{8,}-[0-9a-z]{32}\\.apps\\.googleusercontent\\.com)`, literals: ['.apps.googleusercontent.com'] },
  { name: 'azure-storage-key', description: 'Azure storage account key or connection string', severity: 'critical', score: 0.95, pattern: `(?i)AccountKey=([A-Za-z0-9+/]{86,88}={0,2})`, literals: ['AccountKey=', 'accountkey='], caseless: true },
  { name: 'azure-sas-token', description: 'Azure shared access signature', severity: 'high', score: 0.85, pattern: `[?&]sv=[0-9-]{10}[^\\s"']*?&sig=([A-Za-z0-9%+/]{40,}={0,2})`, literals: ['sig='] },
  { name: 'azure-client-secret', description: 'Azure AD (Entra) client secret', severity: 'high', score: 0.9, pattern: `(?:^|[^0-9A-Za-z_~.\\-])([0-9A-Za-z_~.\\-]{3}[0-9]Q~[0-9A-Za-z_~.\\-]{31,34})(?:[^0-9A-Za-z_~.\\-]|$)`, literals: ['Q~'] },
  { name: 'azure-ai-key', description: 'Azure AI services key (JQQJ99 marker)', severity: 'high', score: 0.9, pattern: `\\b([0-9A-Za-z]{52}JQQJ99[0-9A-Za-z]{18,}={0,2})`, literals: ['JQQJ99'], validate: (value) => shannonEntropy(value.slice(0, 52)) >= 3.5 },
  { name: 'alibaba-access-key', description: 'Alibaba Cloud access key id', severity: 'high', score: 0.85, pattern: `\\b(LTAI[0-9A-Za-z]{12,20})\\b`, literals: ['LTAI'] },
  { name: 'digitalocean-token', description: 'DigitalOcean token', severity: 'high', score: 0.9, pattern: `\\b(do[opr]_v1_[a-f0-9]{64})\\b`, literals: ['_v1_'] },
  { name: 'akamai-token', description: 'Akamai EdgeGrid client token', severity: 'high', score: 0.85, pattern: `\\b(akab-[0-9a-z]{16}-[0-9a-z]{16})`, literals: ['akab-'], validate: notHost },
  { name: 'cloudflare-token', description: 'Cloudflare API token', severity: 'high', score: 0.9, pattern: `\\b(cf(?:k|ut|at)_[0-9A-Za-z]{40,})\\b`, literals: ['cfk_', 'cfut_', 'cfat_'] },
  { name: 'hashicorp-token', description: 'HashiCorp Vault or Terraform Cloud token', severity: 'high', score: 0.9, pattern: `\\b((?:hv[sbr]\\.[0-9A-Za-z_\\-]{24,})|(?:[0-9A-Za-z]{14}\\.atlasv1\\.[0-9A-Za-z_\\-=]{60,}))`, literals: ['hvs.', 'hvb.', 'hvr.', '.atlasv1.'] },
  { name: 'databricks-token', description: 'Databricks personal access token', severity: 'high', score: 0.9, pattern: `\\b(dapi[a-f0-9]{32}(?:-[0-9])?)\\b`, literals: ['dapi'] },
  { name: 'dynatrace-token', description: 'Dynatrace API token', severity: 'high', score: 0.9, pattern: `\\b(dt0[a-z][0-9]{2}\\.[0-9A-Z]{24}\\.[0-9A-Z]{64})\\b`, literals: ['dt0'] },
  { name: 'doppler-token', description: 'Doppler token', severity: 'high', score: 0.9, pattern: `\\b(dp\\.(?:pt|st|sa|ct|scim|audit)\\.[0-9A-Za-z]{40,44})\\b`, literals: ['dp.'] },
  { name: 'docker-token', description: 'Docker Hub access token', severity: 'high', score: 0.9, pattern: `\\b(dckr_(?:pat|oat)_[0-9A-Za-z_\\-]{27,})`, literals: ['dckr_'] },
  { name: 'docker-swarm-token', description: 'Docker swarm join token or unlock key', severity: 'high', score: 0.85, pattern: `\\b((?:SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25})|(?:SWMKEY-1-[0-9A-Za-z+/]{43}))`, literals: ['SWMTKN-1-', 'SWMKEY-1-'] },
  { name: 'jfrog-token', description: 'JFrog Artifactory API key or reference token', severity: 'high', score: 0.85, pattern: `\\b((?:AKCp[0-9A-Za-z]{69})|(?:cmVmdGtuOjAx[0-9A-Za-z]{52}))`, literals: ['AKCp', 'cmVmdGtu'] },
  // Source code and package hosting
  { name: 'github-token', description: 'GitHub token (classic, OAuth, user-to-server, server-to-server, refresh)', severity: 'critical', score: 0.95, pattern: `${B}(gh[pousr]_[0-9A-Za-z_]{36,255})${E}`, literals: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'] },
  { name: 'github-fine-grained-token', description: 'GitHub fine-grained personal access token', severity: 'critical', score: 0.95, pattern: `\\b(github_pat_[0-9A-Za-z_]{50,255})`, literals: ['github_pat_'] },
  { name: 'gitlab-token', description: 'GitLab token (every documented prefix)', severity: 'critical', score: 0.95, pattern: `\\b(gl(?:pat|oas|dt|rt|rtr|cbt|ptt|ft|imt|agent|wt|soat|ffct|sa)-[0-9A-Za-z_\\-.]{20,})`, literals: ['gl'] },
  { name: 'gitlab-runner-registration-token', description: 'GitLab runner registration token', severity: 'high', score: 0.9, pattern: `\\b(GR1348941[0-9A-Za-z_\\-]{20,})`, literals: ['GR1348941'] },
  { name: 'gitlab-session', description: 'GitLab session cookie', severity: 'high', score: 0.85, pattern: `(?:^|[^0-9A-Za-z])_gitlab_session=([0-9a-f]{32})\\b`, literals: ['_gitlab_session='] },
  { name: 'bitbucket-token', description: 'Bitbucket app password or access token', severity: 'high', score: 0.9, pattern: `\\b((?:ATBB[0-9A-Za-z]{32})|(?:ATCTT3[0-9A-Za-z_\\-=]{100,})|(?:BBDC-[0-9A-Za-z+/]{44}))`, literals: ['ATBB', 'ATCTT3', 'BBDC-'] },
  { name: 'atlassian-token', description: 'Atlassian API token', severity: 'high', score: 0.9, pattern: `\\b(ATATT3[0-9A-Za-z_\\-=]{150,})`, literals: ['ATATT3'] },
  { name: 'npm-token', description: 'npm access token', severity: 'critical', score: 0.95, pattern: `\\b(npm_[0-9A-Za-z]{36})\\b`, literals: ['npm_'] },
  { name: 'pypi-token', description: 'PyPI upload token', severity: 'critical', score: 0.95, pattern: `\\b(pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_\\-]{50,})`, literals: ['pypi-AgEI'] },
  { name: 'nuget-key', description: 'NuGet API key', severity: 'high', score: 0.85, pattern: `\\b(oy2[a-z0-9]{43})\\b`, literals: ['oy2'] },
  { name: 'rubygems-key', description: 'RubyGems API key', severity: 'high', score: 0.9, pattern: `\\b(rubygems_[a-f0-9]{48})\\b`, literals: ['rubygems_'] },
  { name: 'sonarqube-token', description: 'SonarQube token', severity: 'high', score: 0.9, pattern: `\\b(sq[pua]_[a-f0-9]{40})\\b`, literals: ['sqp_', 'squ_', 'sqa_'] },
  { name: 'postman-key', description: 'Postman API key', severity: 'high', score: 0.9, pattern: `\\b((?:PMAK-[a-f0-9]{24}-[a-f0-9]{34})|(?:PMAT-[0-9A-Z]{26}))\\b`, literals: ['PMAK-', 'PMAT-'] },
  { name: 'vercel-token', description: 'Vercel token', severity: 'high', score: 0.9, pattern: `\\b(vc[pkiar]_[0-9A-Za-z]{40,})\\b`, literals: ['vcp_', 'vck_', 'vci_', 'vca_', 'vcr_'] },
  { name: 'netlify-token', description: 'Netlify personal access token', severity: 'high', score: 0.9, pattern: `\\b(nfp_[0-9A-Za-z]{36})\\b`, literals: ['nfp_'] },
  { name: 'supabase-token', description: 'Supabase access token', severity: 'high', score: 0.9, pattern: `\\b(sbp_(?:v0_)?[a-f0-9]{40})\\b`, literals: ['sbp_'] },
  { name: 'planetscale-token', description: 'PlanetScale token or password', severity: 'high', score: 0.9, pattern: `\\b(pscale_(?:tkn|pw|oauth)_[0-9A-Za-z_\\-.]{32,64})`, literals: ['pscale_'] },
  { name: 'linear-key', description: 'Linear API key', severity: 'high', score: 0.9, pattern: `\\b(lin_api_[0-9A-Za-z]{40})\\b`, literals: ['lin_api_'] },
  // Payments, messaging, SaaS
  { name: 'stripe-key', description: 'Stripe secret, publishable or restricted key, or webhook secret', severity: 'critical', score: 0.95, pattern: `\\b((?:[spr]k_(?:live|test)_[0-9A-Za-z]{20,247})|(?:whsec_[0-9A-Za-z]{32,}))\\b`, literals: ['k_live_', 'k_test_', 'whsec_'] },
  { name: 'square-token', description: 'Square access token or OAuth secret', severity: 'high', score: 0.9, pattern: `\\b((?:sq0atp-[0-9A-Za-z_\\-]{22})|(?:sq0csp-[0-9A-Za-z_\\-]{43})|(?:EAAA[0-9A-Za-z_\\-+]{60}))`, literals: ['sq0atp-', 'sq0csp-', 'EAAA'] },
  { name: 'paypal-braintree-token', description: 'PayPal Braintree access token', severity: 'critical', score: 0.95, pattern: `\\b(access_token\\$(?:production|sandbox)\\$[0-9a-z]{16}\\$[0-9a-f]{32})`, literals: ['access_token$'], allowSequences: true },
  { name: 'slack-token', description: 'Slack bot, user, app or refresh token', severity: 'critical', score: 0.95, pattern: `\\b((?:xox[abposre]-[0-9A-Za-z\\-]{10,})|(?:xapp-[0-9]-[0-9A-Z]+-[0-9]+-[0-9a-f]+))`, literals: ['xox', 'xapp-'] },
  { name: 'slack-webhook', description: 'Slack incoming webhook URL', severity: 'high', score: 0.9, pattern: `(https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[0-9A-Za-z+/_\\-]{20,})`, literals: ['hooks.slack.com'] },
  { name: 'discord-bot-token', description: 'Discord bot token', severity: 'high', score: 0.85, pattern: `\\b([MNO][0-9A-Za-z_\\-]{23,28}\\.[0-9A-Za-z_\\-]{6}\\.[0-9A-Za-z_\\-]{27,38})\\b`, literals: ['.'] },
  { name: 'discord-webhook', description: 'Discord webhook URL', severity: 'high', score: 0.9, pattern: `(https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]+/[0-9A-Za-z_\\-]{60,})`, literals: ['/api/webhooks/'] },
  { name: 'telegram-bot-token', description: 'Telegram bot token', severity: 'high', score: 0.9, pattern: `\\b([0-9]{8,10}:AA[0-9A-Za-z_\\-]{33})(?:[^0-9A-Za-z_\\-]|$)`, literals: [':AA'] },
  { name: 'twilio-key', description: 'Twilio API key SID', severity: 'high', score: 0.85, pattern: `\\b(SK[0-9a-fA-F]{32})\\b`, literals: ['SK'] },
  { name: 'sendgrid-key', description: 'SendGrid API key', severity: 'critical', score: 0.95, pattern: `\\b(SG\\.[0-9A-Za-z_\\-]{22}\\.[0-9A-Za-z_\\-]{43})`, literals: ['SG.'] },
  { name: 'mailgun-key', description: 'Mailgun API key', severity: 'high', score: 0.9, pattern: `\\b((?:key-[0-9a-f]{32})|(?:[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}))\\b`, literals: ['key-', '-'] },
  { name: 'mailchimp-key', description: 'Mailchimp API key', severity: 'high', score: 0.85, pattern: `\\b([0-9A-Za-z]{32}-us[0-9]{1,2})\\b`, literals: ['-us'] },
  { name: 'shopify-token', description: 'Shopify access token or shared secret', severity: 'high', score: 0.9, pattern: `\\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\\b`, literals: ['shp'] },
  { name: 'facebook-token', description: 'Facebook (Meta) access token or app token', severity: 'high', score: 0.85, pattern: `\\b((?:EAA[BCDG][0-9A-Za-z]{80,})|(?:[0-9]{15,16}\\|[0-9A-Za-z_\\-]{27}))`, literals: ['EAA', '|'] },
  { name: 'instagram-token', description: 'Instagram access token', severity: 'high', score: 0.85, pattern: `\\b(IGQV[0-9A-Za-z_\\-]{100,})`, literals: ['IGQV'] },
  { name: 'twitter-bearer-token', description: 'X (Twitter) app bearer token', severity: 'high', score: 0.85, pattern: `\\b(A{20,24}[0-9A-Za-z%]{30,})`, literals: ['AAAAAAAAAAAAAAAAAAAA'], validate: entropyAtLeast(3.5) },
  { name: 'dropbox-token', description: 'Dropbox access token', severity: 'high', score: 0.9, pattern: `\\b((?:sl\\.[0-9A-Za-z_\\-]{130,})|(?:[0-9A-Za-z]{11}A{10}[0-9A-Za-z_\\-]{43}))`, literals: ['sl.', 'AAAAAAAAAA'], validate: (value) => !value.startsWith('AAAAAAAAAAA') },
  { name: 'newrelic-key', description: 'New Relic key', severity: 'high', score: 0.85, pattern: `\\b((?:NRAK-[0-9A-Z]{27})|(?:NR(?:JS|BR)-[a-f0-9]{19})|(?:NRII-[0-9A-Za-z_\\-]{20,})|(?:[0-9a-z]{36}NRAL))`, literals: ['NRAK-', 'NRJS-', 'NRBR-', 'NRII-', 'NRAL'] },
  { name: 'sentry-token', description: 'Sentry auth token', severity: 'high', score: 0.9, pattern: `\\b(sntry[us]_[0-9A-Za-z+/=_\\-]{60,})`, literals: ['sntry'] },
  { name: 'posthog-key', description: 'PostHog key', severity: 'medium', score: 0.8, pattern: `\\b(ph[xsarc]_[0-9A-Za-z]{40,})\\b`, literals: ['phx_', 'phs_', 'pha_', 'phr_', 'phc_'] },
  { name: 'grafana-token', description: 'Grafana service account, cloud or API token', severity: 'high', score: 0.9, pattern: `\\b((?:glsa_[0-9A-Za-z]{32}_[0-9A-Fa-f]{8})|(?:glc_[0-9A-Za-z+/]{32,}={0,2})|(?:eyJrIjoi[0-9A-Za-z+/=_\\-]{40,}))`, literals: ['glsa_', 'glc_', 'eyJrIjoi'] },
  { name: 'salesforce-token', description: 'Salesforce access token', severity: 'high', score: 0.85, pattern: `\\b(00D[0-9A-Za-z]{12,15}![0-9A-Za-z_.]{80,})`, literals: ['00D'] },
  { name: 'age-secret-key', description: 'age encryption secret key (bech32 checksum verified)', severity: 'critical', score: 0.95, pattern: `\\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\\b`, literals: ['AGE-SECRET-KEY-1'], validate: (value) => bech32Valid(value) },
  // AI providers
  { name: 'openai-key', description: 'OpenAI API key', severity: 'critical', score: 0.95, pattern: `\\b(sk-(?:(?:proj|svcacct|admin)-)?[0-9A-Za-z_\\-]{16,}T3BlbkFJ[0-9A-Za-z_\\-]{16,})`, literals: ['T3BlbkFJ'] },
  { name: 'openai-project-key', description: 'OpenAI project or service-account key', severity: 'critical', score: 0.95, pattern: `\\b(sk-(?:proj|svcacct|admin)-[0-9A-Za-z_\\-]{74,})`, literals: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'] },
  { name: 'anthropic-key', description: 'Anthropic API key', severity: 'critical', score: 0.95, pattern: `\\b(sk-ant-(?:api|admin)[0-9]{2}-[0-9A-Za-z_\\-]{80,})`, literals: ['sk-ant-'] },
  { name: 'huggingface-token', description: 'Hugging Face access token', severity: 'high', score: 0.9, pattern: `\\b((?:hf_[A-Za-z]{34})|(?:api_org_[A-Za-z]{34}))\\b`, literals: ['hf_', 'api_org_'] },
  { name: 'groq-key', description: 'Groq API key', severity: 'high', score: 0.9, pattern: `\\b(gsk_[0-9A-Za-z]{52})\\b`, literals: ['gsk_'] },
  { name: 'perplexity-key', description: 'Perplexity API key', severity: 'high', score: 0.9, pattern: `\\b(pplx-[0-9A-Za-z]{48})\\b`, literals: ['pplx-'] },
  { name: 'tavily-key', description: 'Tavily API key', severity: 'high', score: 0.9, pattern: `\\b(tvly-(?:dev-|prod-)?[0-9A-Za-z]{32})\\b`, literals: ['tvly-'] },
  { name: 'replicate-token', description: 'Replicate API token', severity: 'high', score: 0.9, pattern: `\\b(r8_[0-9A-Za-z]{37})\\b`, literals: ['r8_'] },
  { name: 'llamacloud-key', description: 'LlamaIndex (LlamaCloud) API key', severity: 'high', score: 0.9, pattern: `\\b(llx-[0-9A-Za-z_\\-]{40,})`, literals: ['llx-'] },
  { name: 'xai-key', description: 'xAI API key', severity: 'high', score: 0.9, pattern: `\\b(xai-[0-9A-Za-z]{80})\\b`, literals: ['xai-'] },
  { name: 'wundergraph-key', description: 'WunderGraph Cosmo API key', severity: 'high', score: 0.85, pattern: `\\b(cosmo_[0-9a-f]{32})\\b`, literals: ['cosmo_'] },
];

/** True when a provider-format value is a documentation or test value rather than a real key. */
export function providerValueIsFake(rule: ProviderRule, value: string): boolean {
  if (hasFakeMarker(value)) return true;
  return !rule.allowSequences && hasSequence(value);
}
