/**
 * safety/links: URLs in prompts and answers (plain text and Markdown) that point somewhere they
 * should not or carry data out: deny-listed domains, IP-literal hosts, punycode and homograph
 * domains, `data:` and `javascript:` URIs, credentials in URLs, and Markdown image/link
 * exfiltration (long or encoded data, many parameters, or conversation text in the URL).
 */
import { z } from 'zod';
import { FindingCollector } from '../shared/result.ts';
import { unsettledTail } from '../shared/stream-tail.ts';
import { defineScanner, type ScanContext, type ScanInput, type ScanResult, type ScanSegment, type Severity } from '../types.ts';
import { ConversationShingles } from './echo.ts';
import { extractUrls, type ExtractedUrl } from './extract.ts';
import { exfiltrationSignal, hasPunycode, isHomograph, isIpLiteral, matchesDomain, parseUrl } from './rules.ts';

const Domain = z.string().regex(/^(?:\*\.)?[a-z0-9.-]+$/i, 'expected a domain such as example.com or *.example.com');

export const LinksConfig = z
  .object({
    allowDomains: z.array(Domain).default([]).describe('Domains (and their subdomains) trusted as destinations: exempt from the exfiltration rule. Other rules still apply.'),
    denyDomains: z.array(Domain).default([]).describe('Domains (and their subdomains) never allowed: any URL to them is a `links/deny-list` finding.'),
    ipHosts: z.boolean().default(true).describe('Report URLs whose host is an IP literal (`links/ip-host`).'),
    punycode: z.boolean().default(true).describe('Report hosts with punycode labels (`xn--`; `links/punycode`).'),
    homographs: z.boolean().default(true).describe('Report hosts written with mixed scripts or ASCII lookalikes (`links/homograph`), judged on the original text.'),
    scriptUris: z.boolean().default(true).describe('Report `javascript:` and `vbscript:` URIs (`links/javascript-uri`).'),
    dataUris: z.boolean().default(true).describe('Report `data:` URIs (`links/data-uri`).'),
    credentials: z.boolean().default(true).describe('Report URLs with a user or password before the host (`links/credentials`).'),
    bareDomains: z.boolean().default(true).describe('Also extract bare domains (`example.com/path`) whose TLD is on the short known list.'),
    exfiltration: z
      .object({
        enabled: z.boolean().default(true).describe('Report URLs to non-allow-listed domains that look like they carry data out (`links/exfiltration`, high severity).'),
        maxQueryLength: z.number().int().min(1).default(200).describe('A query string longer than this (characters) counts as carrying data.'),
        maxParameters: z.number().int().min(1).default(10).describe('More query parameters than this counts as carrying data.'),
        minEncodedLength: z.number().int().min(8).default(48).describe('A run of base64/hex characters at least this long in the path, a query value or the fragment counts as encoded data (48 lets commit hashes and UUIDs through).'),
        minEntropy: z.number().min(0).max(8).default(3.5).describe('...and only when its Shannon entropy is at least this many bits per character.'),
        echoWords: z.number().int().min(2).max(20).default(4).describe('A run of this many consecutive words (3+ letters) of the conversation inside a URL counts as carrying data.'),
      })
      .strict()
      .default({ enabled: true, maxQueryLength: 200, maxParameters: 10, minEncodedLength: 48, minEntropy: 3.5, echoWords: 4 })
      .describe('Exfiltration heuristics for Markdown images and links.'),
    replacement: z.string().default('[link removed]').describe('Replacement proposed for a reported URL (applied only when the policy redacts).'),
    maxFindings: z.number().int().min(1).max(100_000).default(1000).describe('Most findings reported per scan (edits are never capped).'),
  })
  .strict();
export type LinksConfig = z.output<typeof LinksConfig>;

/** Request-state key of the request phase's conversation shingles, read again in the response phases. */
export const SHINGLES_STATE_KEY = 'links-conversation-shingles';

const SCORES: Record<string, { score: number; severity: Severity }> = {
  exfiltration: { score: 0.95, severity: 'high' },
  'deny-list': { score: 0.9, severity: 'high' },
  'javascript-uri': { score: 0.9, severity: 'high' },
  homograph: { score: 0.85, severity: 'high' },
  credentials: { score: 0.7, severity: 'medium' },
  'ip-host': { score: 0.6, severity: 'medium' },
  punycode: { score: 0.6, severity: 'medium' },
  'data-uri': { score: 0.6, severity: 'medium' },
};

interface Located {
  segment: ScanSegment;
  url: ExtractedUrl;
  span: [number, number];
}

function locate(segment: ScanSegment, config: LinksConfig): Located[] {
  const limit = segment.text.length;
  return extractUrls(segment.canonical.text)
    .filter((url) => config.bareDomains || url.kind !== 'bare' || url.url.includes('://'))
    .map((url) => {
      const [from, to] = segment.canonical.toOriginal(url.start, url.end);
      return { segment, url, span: [Math.max(0, Math.min(from, limit)), Math.max(0, Math.min(to, limit))] as [number, number] };
    });
}

/** Rules one URL breaks, with a short reason each (never the URL itself). */
function check(found: Located, config: LinksConfig, echoes: (text: string) => boolean): { rule: string; reason: string }[] {
  const { url } = found;
  const hits: { rule: string; reason: string }[] = [];
  if (url.scheme === 'javascript' || url.scheme === 'vbscript') return config.scriptUris ? [{ rule: 'javascript-uri', reason: `${url.scheme}: URI` }] : [];
  if (url.scheme === 'data') return config.dataUris ? [{ rule: 'data-uri', reason: 'data: URI' }] : [];
  const parsed = parseUrl(url.url, url.url.includes('://'));
  if (parsed.host === '') return hits;
  if (config.denyDomains.some((domain) => matchesDomain(parsed.host, domain))) hits.push({ rule: 'deny-list', reason: 'deny-listed domain' });
  if (config.credentials && parsed.credentials) hits.push({ rule: 'credentials', reason: 'user or password before the host' });
  if (config.ipHosts && isIpLiteral(parsed.host)) hits.push({ rule: 'ip-host', reason: 'IP-literal host' });
  if (config.punycode && hasPunycode(parsed.host)) hits.push({ rule: 'punycode', reason: 'punycode (xn--) host' });
  if (config.homographs) {
    const original = found.segment.text.slice(found.span[0], found.span[1]);
    const hostStart = original.includes('://') ? original.indexOf('://') + 3 : 0;
    let hostEnd = hostStart;
    while (hostEnd < original.length && !'/?#:'.includes(original[hostEnd]!)) hostEnd++;
    const host = original.slice(hostStart, hostEnd);
    if (isHomograph(host.slice(host.lastIndexOf('@') + 1))) hits.push({ rule: 'homograph', reason: 'host mixes scripts or uses lookalike letters' });
  }
  const exfiltration = config.exfiltration;
  if (exfiltration.enabled && !config.allowDomains.some((domain) => matchesDomain(parsed.host, domain))) {
    const signal = exfiltrationSignal(parsed, exfiltration) ?? (echoes(`${parsed.path} ${parsed.query.replace(/[&=+]/g, ' ')} ${parsed.fragment}`) ? 'conversation text in the URL' : null);
    if (signal) hits.push({ rule: 'exfiltration', reason: signal });
  }
  return hits;
}

/** The segment's text with its URLs blanked, for the conversation shingles. */
function withoutUrls(text: string, urls: readonly ExtractedUrl[]): string {
  let out = '';
  let last = 0;
  for (const url of urls) {
    out += `${text.slice(last, url.start)} `;
    last = url.end;
  }
  return out + text.slice(last);
}

export const linksScanner = defineScanner({
  id: 'safety/links',
  description:
    'Finds URLs in plain text and Markdown (inline links, images, reference definitions, autolinks, bare domains with a known TLD) on the canonical view, spans mapped to the original. ' +
    'One finding per rule a URL breaks (rule id `links/<rule>`): exfiltration (score 0.95, high: long/encoded data, many parameters or conversation text in the URL of a non-allow-listed domain), deny-list and javascript-uri (0.9, high), homograph (0.85, high), credentials (0.7, medium), ip-host, punycode and data-uri (0.6, medium). ' +
    'Each finding proposes replacing the URL with `replacement`. Outcome: fail if any finding is high, flag if medium, else pass; score: the highest finding score.',
  phases: ['request', 'response', 'response-stream'],
  configSchema: LinksConfig,
  create(config) {
    return {
      scan(input: ScanInput, context: ScanContext): ScanResult {
        const collector = new FindingCollector(config.maxFindings);
        const located = input.segments.map((segment) => locate(segment, config));
        // Conversation text: earlier phases of this request (kept in the request state) and the other
        // segments of this scan. A URL's own segment is left out: a link whose text repeats its search
        // query ("[best pizza](…?q=best+pizza)") is normal.
        const earlier = context.state.get(SHINGLES_STATE_KEY);
        const remembered = earlier instanceof ConversationShingles ? earlier : new ConversationShingles(config.exfiltration.echoWords);
        const own = input.segments.map((segment, index) => {
          const shingles = new ConversationShingles(config.exfiltration.echoWords);
          shingles.add(withoutUrls(segment.canonical.text, located[index]!.map((found) => found.url)));
          return shingles;
        });
        located.forEach((list, index) => {
          context.signal.throwIfAborted();
          const echoes = (text: string): boolean => remembered.echoes(text) || own.some((shingles, other) => other !== index && shingles.echoes(text));
          for (const found of list) {
            for (const hit of check(found, config, echoes)) {
              const { score, severity } = SCORES[hit.rule]!;
              collector.add(
                { ruleId: `links/${hit.rule}`, message: `${found.url.kind === 'image' ? 'Image' : 'Link'} URL: ${hit.reason}`, severity, score, segmentId: found.segment.id, span: found.span, evidence: `${found.url.kind} ${found.url.scheme} URL, ${found.url.url.length} chars` },
                config.replacement,
              );
            }
          }
        });
        if (input.phase === 'request') {
          input.segments.forEach((segment, index) => remembered.add(withoutUrls(segment.canonical.text, located[index]!.map((found) => found.url))));
          context.state.set(SHINGLES_STATE_KEY, remembered);
        }
        if (input.phase !== 'response-stream') return collector.result();
        // A URL is complete only once something that cannot be part of it follows: hold the trailing unbroken run.
        const last = input.segments[input.segments.length - 1];
        return { ...collector.result(), tail: last ? Math.max(trailingRun(last.text), unsettledTail(last.text)) : 0 };
      },
    };
  },
});

/** Length of the run of non-whitespace characters at the end of `text` (where a URL may still be growing). */
function trailingRun(text: string): number {
  let i = text.length;
  while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
  return text.length - i;
}
