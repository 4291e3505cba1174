/**
 * Dangerous-pattern rules for code and commands, with stable rule ids. A rule is a set of
 * patterns; a pattern matches within one line, or (with `parts`) when every part matches on lines
 * no more than WINDOW_LINES apart (multi-line reverse shells). Every quantifier is bounded and a
 * pattern runs only on lines that contain one of its lower-case trigger words, so the scan stays
 * linear in the text length.
 */
import type { Severity } from '../types.ts';

export const RULE_IDS = ['code/download-exec', 'code/credential-access', 'code/secret-exfiltration', 'code/obfuscated-exec', 'code/reverse-shell', 'code/destructive'] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface Pattern {
  rule: RuleId;
  /** What it matched, for the finding message. */
  what: string;
  severity: Severity;
  score: number;
  /** Lower-case words one of which a line must contain before the pattern runs. */
  triggers: readonly string[];
  /** One-line pattern. */
  pattern?: RegExp;
  /** Multi-line: every part must match, on lines at most WINDOW_LINES apart. */
  parts?: readonly RegExp[];
}

/** Lines a multi-line pattern may span. */
export const WINDOW_LINES = 12;

const SHELLS = '(?:sudo\\s{1,5}(?:-\\S{1,10}\\s{1,5}){0,3})?(?:(?:ba|z|da|k|fi)?sh|python[0-9.]{0,4}|perl|ruby|node|php)\\b';
/** Credential stores whose reading alone is reported. */
const CREDENTIAL_FILES = '(?:\\.aws[/\\\\]credentials|\\.ssh[/\\\\]id_(?:rsa|dsa|ecdsa|ed25519)(?!\\.pub)\\b|/etc/shadow\\b|\\.git-credentials\\b|\\.netrc\\b|\\.pgpass\\b|\\.docker[/\\\\]config\\.json|\\.kube[/\\\\]config\\b|\\.npmrc\\b)';
/** ...and, when sent over the network, also a project's .env (reading it locally is routine). */
const SECRET_FILES = `(?:${CREDENTIAL_FILES}|(?:^|[/\\\\\\s"'])\\.env\\b|/etc/passwd\\b)`;
const READERS = '\\b(?:cat|type|get-content|gc|less|more|head|tail|cp|copy|scp|xxd|strings|open|readfile(?:sync)?|read_text|readalltext|file_get_contents|fs\\.read\\w{0,10})\\b';

const re = (source: string, flags = 'i'): RegExp => new RegExp(source, flags);

export const PATTERNS: readonly Pattern[] = [
  // --- shell download-and-execute
  { rule: 'code/download-exec', what: 'download piped into an interpreter', severity: 'high', score: 0.95, triggers: ['curl', 'wget', 'fetch'], pattern: re(`\\b(?:curl|wget|fetch)\\b[^\\n|;]{0,300}\\|\\s{0,5}${SHELLS}`) },
  { rule: 'code/download-exec', what: 'shell running a downloaded script', severity: 'high', score: 0.95, triggers: ['curl', 'wget'], pattern: re('(?:\\b(?:ba|z|da|k)?sh\\s{1,5}(?:-c\\s{1,5})?|\\beval\\s{1,5}|\\bsource\\s{1,5}|(?:^|[;&|]\\s{0,3})\\.\\s{1,5})["\']?\\s{0,3}(?:<\\(|\\$\\()\\s{0,3}(?:curl|wget)\\b') },
  { rule: 'code/download-exec', what: 'PowerShell download executed with iex', severity: 'high', score: 0.95, triggers: ['iex', 'invoke-expression'], pattern: re('\\b(?:iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget|downloadstring|downloaddata)\\b[^\\n|]{0,500}\\|\\s{0,5}(?:iex|invoke-expression)\\b|\\b(?:iex|invoke-expression)\\b[^\\n]{0,80}?\\b(?:downloadstring|iwr|irm|invoke-webrequest|invoke-restmethod|net\\.webclient)\\b') },
  { rule: 'code/download-exec', what: 'certutil download (-urlcache)', severity: 'high', score: 0.9, triggers: ['certutil'], pattern: re('\\bcertutil(?:\\.exe)?\\b[^\\n]{0,200}[-/]urlcache\\b') },
  { rule: 'code/download-exec', what: 'bitsadmin transfer', severity: 'high', score: 0.9, triggers: ['bitsadmin'], pattern: re('\\bbitsadmin(?:\\.exe)?\\b[^\\n]{0,200}/(?:transfer|addfile)\\b') },
  { rule: 'code/download-exec', what: 'remote script run by mshta, regsvr32 or rundll32', severity: 'high', score: 0.9, triggers: ['mshta', 'regsvr32', 'rundll32'], pattern: re('\\bmshta(?:\\.exe)?\\s{1,5}["\']?(?:https?:|vbscript:|javascript:)|\\bregsvr32(?:\\.exe)?\\b[^\\n]{0,100}/i:\\s{0,2}https?:|\\brundll32(?:\\.exe)?\\b[^\\n]{0,100}javascript:') },
  { rule: 'code/download-exec', what: 'downloaded code passed to exec/eval', severity: 'high', score: 0.9, triggers: ['exec', 'eval'], pattern: re('\\b(?:exec|eval)\\s{0,3}\\(\\s{0,3}(?:urllib\\.request\\.urlopen|urlopen|requests\\.get|urllib2\\.urlopen|await\\s{1,3}fetch)\\s{0,3}\\(') },

  // --- credential harvesting
  { rule: 'code/credential-access', what: 'reading /etc/shadow', severity: 'high', score: 0.9, triggers: ['/etc/shadow'], pattern: re('(?:\\b(?:cat|less|more|head|tail|cp|scp|xxd|strings|unshadow|john|open|type)\\b[^\\n]{0,60}|["\'])/etc/shadow\\b') },
  { rule: 'code/credential-access', what: 'reading a credential file', severity: 'medium', score: 0.75, triggers: ['.aws', '.ssh', '.git-credentials', '.netrc', '.pgpass', '.docker', '.kube', '.npmrc'], pattern: re(`${READERS}[^\\n]{0,100}${CREDENTIAL_FILES}`) },
  { rule: 'code/credential-access', what: 'browser password store', severity: 'high', score: 0.9, triggers: ['login data', 'logins.json', 'key4.db', 'key3.db', 'cryptunprotectdata'], pattern: re('\\b(?:chrome|chromium|edge|brave|firefox|mozilla|opera|vivaldi)\\b[^\\n]{0,160}(?:login data|logins\\.json|key[34]\\.db)|(?:login data|logins\\.json|key[34]\\.db)[^\\n]{0,160}\\b(?:chrome|chromium|edge|brave|firefox|mozilla|opera|vivaldi|sqlite3?)\\b|\\bcryptunprotectdata\\b') },
  { rule: 'code/credential-access', what: 'keychain dump', severity: 'high', score: 0.9, triggers: ['keychain', 'security', 'chainbreaker'], pattern: re('\\bsecurity\\s{1,5}(?:dump-keychain\\b|find-(?:generic|internet)-password\\b[^\\n]{0,120}\\s-[a-z]{0,3}[wg]\\b)|\\b(?:keychaindump|chainbreaker)\\b') },
  { rule: 'code/credential-access', what: 'Mimikatz or LSASS credential dumping', severity: 'high', score: 0.95, triggers: ['mimikatz', 'sekurlsa', 'lsadump', 'lsass', 'pypykatz', 'reg', 'ntds'], pattern: re('\\b(?:invoke-)?mimikatz(?:\\.exe)?\\b[^\\n]{0,40}(?:privilege|sekurlsa|lsadump|token|kerberos|crypto|vault)::|\\binvoke-mimikatz\\b|\\b(?:sekurlsa|lsadump)::\\w|\\bpypykatz\\s{1,5}(?:lsa|live|registry)\\b|\\b(?:procdump(?:64)?(?:\\.exe)?|comsvcs(?:\\.dll)?)\\b[^\\n]{0,120}\\b(?:lsass|minidump)\\b|\\breg(?:\\.exe)?\\s{1,5}save\\s{1,5}hklm\\\\(?:sam|security|system)\\b|\\bntds\\.dit\\b[^\\n]{0,100}\\b(?:copy|ntdsutil|vssadmin|secretsdump)\\b|\\b(?:copy|ntdsutil|vssadmin|secretsdump(?:\\.py)?)\\b[^\\n]{0,100}\\bntds\\.dit\\b') },

  // --- sending environment variables, tokens or credential files to a remote host
  { rule: 'code/secret-exfiltration', what: 'environment dump sent over the network', severity: 'high', score: 0.9, triggers: ['env', 'environ', 'process.env'], pattern: re('\\b(?:env|printenv|set|export\\s{1,3}-p)\\s{0,5}\\|\\s{0,5}(?:curl|wget|nc|ncat|netcat|socat|telnet)\\b|\\b(?:curl|wget)\\b[^\\n]{0,300}(?:\\$\\(\\s{0,3}(?:env|printenv)\\s{0,3}\\)|`\\s{0,3}(?:env|printenv)\\s{0,3}`)|\\brequests\\.(?:post|put|get)\\s{0,3}\\([^\\n]{0,200}(?:dict\\(\\s{0,3}os\\.environ\\s{0,3}\\)|os\\.environ\\b(?!\\s{0,3}(?:\\[|\\.get|\\.copy)))|\\b(?:fetch|axios\\.(?:post|put|get)|https?\\.request|got\\.post)\\s{0,3}\\([^\\n]{0,300}(?:JSON\\.stringify\\(\\s{0,3}process\\.env\\s{0,3}\\)|process\\.env\\s{0,3}[,})])|\\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\\b[^\\n]{0,300}-body\\s{0,3}\\(?\\s{0,3}(?:get-childitem|gci|dir|ls)\\s{1,3}env:') },
  { rule: 'code/secret-exfiltration', what: 'credential file sent over the network', severity: 'high', score: 0.95, triggers: ['.aws', '.ssh', '/etc/shadow', '/etc/passwd', '.git-credentials', '.netrc', '.env', '.kube', '.docker'], pattern: re(`${READERS}[^\\n|]{0,120}${SECRET_FILES}[^\\n]{0,120}\\|\\s{0,5}(?:curl|wget|nc|ncat|netcat|socat|telnet|iwr|invoke-webrequest|invoke-restmethod)\\b|\\b(?:curl|wget)\\b[^\\n]{0,300}(?:@|--post-file=|--upload-file\\s{1,3}|-T\\s{1,3})["']?[^\\s"']{0,80}${SECRET_FILES}`) },

  // --- obfuscated payloads decoded and executed
  { rule: 'code/obfuscated-exec', what: 'base64-decoded payload piped into an interpreter', severity: 'high', score: 0.95, triggers: ['base64'], pattern: re(`\\bbase64\\s{1,5}(?:-d|--decode|-D)\\b[^\\n]{0,100}\\|\\s{0,5}${SHELLS}`) },
  { rule: 'code/obfuscated-exec', what: 'decoded payload passed to eval/exec', severity: 'high', score: 0.95, triggers: ['eval', 'exec', 'function'], pattern: re('\\b(?:eval|exec|Function)\\s{0,3}\\(\\s{0,3}(?:window\\.)?(?:atob|unescape|decodeURIComponent)\\s{0,3}\\(|\\b(?:exec|eval)\\s{0,3}\\(\\s{0,3}(?:__import__\\(\\s{0,3}["\'](?:base64|zlib|codecs|marshal)["\']\\s{0,3}\\)\\.\\w{1,20}|base64\\.b64decode|b64decode|base64\\.b32decode|codecs\\.decode|zlib\\.decompress|marshal\\.loads|bytes\\.fromhex|binascii\\.unhexlify)\\s{0,3}\\(|\\beval\\s{0,3}\\(\\s{0,3}Buffer\\.from\\s{0,3}\\(|\\beval\\s{0,3}\\(\\s{0,3}function\\s{0,3}\\(\\s{0,3}p\\s{0,3},\\s{0,3}a\\s{0,3},\\s{0,3}c\\s{0,3},\\s{0,3}k\\s{0,3},\\s{0,3}e') },
  { rule: 'code/obfuscated-exec', what: 'PowerShell encoded command', severity: 'high', score: 0.95, triggers: ['powershell', 'pwsh'], pattern: re('\\b(?:powershell|pwsh)(?:\\.exe)?\\b[^\\n]{0,200}\\s[-/](?:e|ec|en|enc|enco|encod|encode|encoded|encodedc\\w{0,10})\\s{1,5}["\']?[A-Za-z0-9+/]{16,}') },
  { rule: 'code/obfuscated-exec', what: 'base64 payload run with iex', severity: 'high', score: 0.95, triggers: ['frombase64string'], pattern: re('\\b(?:iex|invoke-expression)\\b[^\\n]{0,200}frombase64string|frombase64string[^\\n]{0,400}(?:\\|\\s{0,5}(?:iex|invoke-expression)\\b|\\b(?:iex|invoke-expression)\\b)') },
  { rule: 'code/obfuscated-exec', what: 'character-code assembly executed', severity: 'high', score: 0.9, triggers: ['fromcharcode'], pattern: re('\\b(?:eval|Function|setTimeout|document\\.write)\\s{0,3}\\(\\s{0,3}String\\.fromCharCode\\s{0,3}\\(') },
  { rule: 'code/obfuscated-exec', what: 'character-code assembly', severity: 'medium', score: 0.7, triggers: ['fromcharcode', '[char]', 'chr('], pattern: re('String\\.fromCharCode\\s{0,3}\\(\\s{0,3}(?:\\d{2,3}\\s{0,3},\\s{0,3}){8}|(?:\\[char\\]\\s{0,2}\\(?\\s{0,2}\\d{2,3}\\s{0,2}\\)?\\s{0,2}[+,]\\s{0,2}){6}|(?:\\bchr\\s{0,2}\\(\\s{0,2}\\d{2,3}\\s{0,2}\\)\\s{0,2}[+.,]\\s{0,2}){6}') },
  { rule: 'code/obfuscated-exec', what: 'certutil decoding a payload', severity: 'medium', score: 0.7, triggers: ['certutil'], pattern: re('\\bcertutil(?:\\.exe)?\\b[^\\n]{0,100}[-/]decode(?:hex)?\\b') },

  // --- reverse shells
  { rule: 'code/reverse-shell', what: 'shell redirected to /dev/tcp', severity: 'critical', score: 0.98, triggers: ['/dev/tcp/', '/dev/udp/'], pattern: re('(?:\\b(?:ba|z|k)?sh\\b[^\\n]{0,40}\\s-i\\b[^\\n]{0,60}/dev/(?:tcp|udp)/|(?:>&|<&|>\\s{0,2}&|0<&\\d{0,3}|exec\\s{1,5}\\d{1,3}<>)\\s{0,3}/dev/(?:tcp|udp)/|/dev/(?:tcp|udp)/[^\\s/]{1,80}/\\d{1,5}[^\\n]{0,40}(?:0>&1|>&\\s{0,2}\\d|<&\\s{0,2}\\d))') },
  { rule: 'code/reverse-shell', what: 'netcat executing a shell', severity: 'critical', score: 0.98, triggers: ['nc', 'ncat', 'netcat', 'mkfifo'], pattern: re('\\b(?:nc|ncat|netcat)(?:\\.exe)?\\b[^\\n]{0,120}\\s-[a-z]{0,5}[ec]\\s{0,3}["\']?(?:/bin/)?(?:(?:ba|z|da)?sh|cmd(?:\\.exe)?|powershell(?:\\.exe)?)\\b|\\bmkfifo\\b[^\\n]{0,200}\\b(?:nc|ncat|netcat|telnet|openssl\\s{1,5}s_client)\\b') },
  { rule: 'code/reverse-shell', what: 'socat executing a shell', severity: 'critical', score: 0.98, triggers: ['socat'], pattern: re('\\bsocat\\b[^\\n]{0,200}\\b(?:exec|system):') },
  {
    rule: 'code/reverse-shell',
    what: 'socket connection wired to a shell',
    severity: 'critical',
    score: 0.95,
    triggers: ['socket', 'fsockopen', 'tcpclient', 'tcpsocket', 'net.connect', 'net.dial', 'dup2', 'pty.spawn', '/bin/', 'cmd', 'iex', 'invoke-expression', 'getstream', 'spawn'],
    parts: [
      re('socket\\.socket\\s{0,2}\\(|\\bfsockopen\\s{0,2}\\(|\\bsocket\\s{0,2}\\(\\s{0,3}[A-Z]|\\bTCPSocket\\.(?:new|open)\\b|\\bnet\\.(?:connect|createConnection)\\s{0,2}\\(|Net\\.Sockets\\.TCPClient\\s{0,2}\\(|\\bnet\\.Dial\\s{0,2}\\(\\s{0,3}"tcp"|\\bnew\\s{1,3}Socket\\s{0,2}\\(\\s{0,3}["\']'),
      re('\\bos\\.dup2\\s{0,2}\\(|\\bpty\\.spawn\\s{0,2}\\(|\\b(?:subprocess\\.\\w{1,12}|exec|system|shell_exec|passthru|proc_open|popen|spawn|exec\\.Command)\\s{0,2}\\(\\s{0,3}\\[?\\s{0,3}["\'](?:/bin/)?(?:(?:ba|z|da)?sh|cmd(?:\\.exe)?)(?:\\s{1,3}-i)?["\']|\\.GetStream\\s{0,2}\\(\\s{0,2}\\)[^\\n]{0,300}\\b(?:iex|invoke-expression)\\b|\\b(?:iex|invoke-expression)\\s{1,3}\\$\\w{1,20}\\s{0,3}2>&1'),
    ],
  },

  // --- destructive commands
  { rule: 'code/destructive', what: 'recursive delete of a system or home root', severity: 'critical', score: 0.97, triggers: ['rm '], pattern: re('\\brm\\s{1,5}(?:-{1,2}[\\w-]{1,20}\\s{1,5}){0,4}-(?:[a-z]{0,4}r[a-z]{0,4}|-recursive)\\s{1,5}(?:-{1,2}[\\w-]{1,20}\\s{1,5}){0,4}["\']?(?:/\\*?|~/?\\*?|\\$home/?\\*?|/(?:bin|boot|etc|lib|lib64|usr|var|home|root|sys|opt)/?\\*?)["\']?(?=\\s|$|[;&|)])') },
  { rule: 'code/destructive', what: 'filesystem created on a disk device (mkfs)', severity: 'high', score: 0.85, triggers: ['mkfs'], pattern: re('\\bmkfs(?:\\.[a-z0-9]{2,8})?\\s{1,5}(?:-\\S{1,10}\\s{1,5}(?:\\S{1,20}\\s{1,5})?){0,4}/dev/') },
  { rule: 'code/destructive', what: 'dd writing to a disk device', severity: 'critical', score: 0.95, triggers: ['dd '], pattern: re('\\bdd\\b[^\\n]{0,160}\\bof=/dev/(?:sd[a-z]|nvme\\d|hd[a-z]|xvd[a-z]|vd[a-z]|mmcblk\\d|disk\\d|rdisk\\d)') },
  { rule: 'code/destructive', what: 'disk device overwritten or wiped', severity: 'critical', score: 0.95, triggers: ['/dev/', 'wipefs'], pattern: re('>\\s{0,2}/dev/(?:sd[a-z]|nvme\\d\\w{0,4}|hd[a-z]|xvd[a-z])\\b|\\b(?:shred|wipefs)\\b[^\\n]{0,60}/dev/(?:sd|nvme|hd|xvd|vd|mmcblk)') },
  { rule: 'code/destructive', what: 'fork bomb', severity: 'critical', score: 0.97, triggers: ['()', '%0', 'fork'], pattern: re('([A-Za-z_]\\w{0,20}|:)\\s{0,2}\\(\\s{0,2}\\)\\s{0,2}\\{\\s{0,2}\\1\\s{0,2}\\|\\s{0,2}\\1\\s{0,2}&\\s{0,2}\\}\\s{0,2};\\s{0,2}\\1|%0\\s{0,2}\\|\\s{0,2}%0|\\bwhile\\s{1,3}(?:true|1)\\s{0,2}:\\s{0,4}os\\.fork\\(\\)') },
  { rule: 'code/destructive', what: 'Windows drive wiped', severity: 'critical', score: 0.95, triggers: ['format', 'del', 'erase', 'rd', 'rmdir', 'remove-item'], pattern: re('\\bformat(?:\\.com)?\\s{1,5}[a-z]:\\s{0,3}/[qyxu]|\\b(?:del|erase)\\s{1,5}(?:/[a-z]\\s{1,5}){1,5}["\']?[a-z]:\\\\(?:\\*|windows\\b|\\s|["\']|$)|\\b(?:rd|rmdir)\\s{1,5}/s\\s{1,5}(?:/q\\s{1,5})?["\']?[a-z]:\\\\(?:windows\\b|\\s|["\']|$)|\\bremove-item\\b[^\\n]{0,100}(?:-recurse\\b[^\\n]{0,100}["\'\\s][a-z]:\\\\(?:\\*|windows\\b)?["\']?(?=\\s|$)|["\'\\s][a-z]:\\\\(?:\\*|windows\\b)?["\']?\\s[^\\n]{0,100}-recurse\\b)') },
  { rule: 'code/destructive', what: 'world-writable root filesystem', severity: 'medium', score: 0.7, triggers: ['chmod'], pattern: re('\\bchmod\\s{1,5}-R\\s{1,5}0?777\\s{1,5}/(?=\\s|$)') },
];

/** Trigger words that are also ordinary English or programming prose: they do not make a stream hold a line by themselves. */
const PROSE_TRIGGERS = new Set(['fetch', 'security', 'function', 'format', 'fork', 'spawn', 'exec', 'eval', 'erase', 'del', 'rd', 'reg', 'cmd', 'socket', 'keychain', 'env', 'environ', '()', '/bin/', '/dev/', 'spawn', 'open']);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The first trigger word of a (lower-case) line that may start a dangerous construct, as a word
 * (letters and digits around it do not count): where a stream starts holding an unterminated line.
 */
export const HOLD_TRIGGER = new RegExp(
  [...new Set(PATTERNS.flatMap((pattern) => pattern.triggers))]
    .filter((trigger) => !PROSE_TRIGGERS.has(trigger.trim()))
    .map((trigger) => trigger.trim())
    .map((trigger) => `${/^[a-z0-9]/.test(trigger) ? '(?<![a-z0-9_])' : ''}${escape(trigger)}${/[a-z0-9]$/.test(trigger) ? '(?![a-z0-9_])' : ''}`)
    .join('|'),
);
