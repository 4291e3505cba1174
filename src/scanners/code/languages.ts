/**
 * Language identification for code blocks: a small hand-weighted model of keyword and token-shape
 * features per language (no ML dependency). Each feature is a bounded regular expression; its
 * match count (capped) times its weight adds to the language's score, and the best-scoring
 * language wins when it clears a minimum and leads the runner-up. A fence info string (```py)
 * decides outright.
 */

/** Languages the model knows (json is data, listed so a policy can allow it; fence aliases may name others, such as yaml). */
export const LANGUAGES = ['python', 'javascript', 'typescript', 'shell', 'powershell', 'batch', 'sql', 'c', 'cpp', 'java', 'csharp', 'go', 'rust', 'php', 'ruby', 'html', 'css', 'json'] as const;
export type Language = (typeof LANGUAGES)[number];

type Feature = [pattern: RegExp, weight: number];

/** Features per language; every quantifier is bounded so a scan stays linear in the block length. */
const FEATURES: Record<Language, Feature[]> = {
  python: [
    [/^[ \t]{0,40}def [A-Za-z_]\w{0,60}\s{0,3}\([^\n]{0,200}\)[^\n]{0,40}:[ \t]{0,20}$/gm, 4],
    [/^[ \t]{0,40}(?:from [\w.]{1,80} import |import [\w.]{1,80}(?: as \w{1,40})?[ \t]{0,20}$)/gm, 3],
    [/^[ \t]{0,40}(?:if|elif|for|while|with|try|except|else|class)\b[^\n{};]{0,200}:[ \t]{0,20}$/gm, 2],
    [/\b(?:elif|self\.|None\b|True\b|False\b|__init__|__name__|lambda \w|print\()/g, 1.5],
    [/\b(?:os\.|sys\.|subprocess\.|pty\.|socket\.socket)/g, 1.5],
    [/^[ \t]{0,40}#(?!include|!|define)[^\n]{0,200}$/gm, 0.3],
  ],
  javascript: [
    [/\b(?:const|let|var) [A-Za-z_$][\w$]{0,60}\s{0,3}=/g, 2],
    [/\bfunction\s{0,3}[A-Za-z_$]?[\w$]{0,60}\s{0,3}\([^\n)]{0,200}\)\s{0,3}\{/g, 2.5],
    [/=>\s{0,3}[{(\w]/g, 1.5],
    [/\b(?:console\.log|document\.|window\.|require\(|module\.exports|process\.env|JSON\.(?:parse|stringify)|addEventListener|Promise\b|async function|await )/g, 2.5],
    [/===|!==|\bundefined\b|\bnull\b/g, 1],
    [/^[ \t]{0,40}(?:import [^\n]{1,200} from ['"]|export (?:default|const|function|class) )/gm, 2],
    [/;[ \t]{0,20}$/gm, 0.4],
  ],
  typescript: [
    [/\b(?:interface|type) [A-Z]\w{0,60}(?:<[^\n>]{1,60}>)?\s{0,3}(?:=|\{|extends)/g, 4],
    [/[\w)]\s{0,2}:\s{0,2}(?:string|number|boolean|void|unknown|any|never|Promise<|Record<|readonly )/g, 3],
    [/\b(?:as const|import type |implements |private readonly |public readonly |keyof |enum \w)/g, 3],
    [/\b(?:const|let) [A-Za-z_$][\w$]{0,60}\s{0,3}:\s{0,3}[A-Za-z]/g, 2],
  ],
  shell: [
    [/^#!\s{0,3}\/(?:usr\/)?bin\/(?:env\s{1,3})?(?:ba|z|da|k)?sh\b/gm, 6],
    [/^[ \t]{0,20}\$ [a-z]/gm, 2],
    [/^[ \t]{0,20}(?:sudo |apt(?:-get)? |yum |dnf |brew |pip3? install |npm (?:install|run|i) |cd |ls(?: |$)|mkdir |chmod |chown |export [A-Z_]{1,60}=|echo |cat |grep |sed |awk |curl |wget |tar |git |docker |kubectl |systemctl |source |ssh |scp |rm |cp |mv |touch |find )/gm, 2],
    [/\b(?:fi|done|esac|then)\b[ \t]{0,20}$/gm, 2],
    [/\$\{?[A-Za-z_]\w{0,40}\}?|\$\(|\|\s{0,3}(?:grep|sed|awk|xargs|sort|head|tail|wc|tee|sh|bash)\b|&&|2>&1|\/dev\/null/g, 1],
    [/(?:^|\s)--?[a-zA-Z][\w-]{0,30}(?=\s|=|$)/gm, 0.3],
  ],
  powershell: [
    [/\b(?:Get|Set|New|Remove|Invoke|Start|Stop|Write|Read|Import|Export|Add|ConvertTo|ConvertFrom|Select|Where|ForEach|Out|Test)-[A-Z][A-Za-z]{1,40}\b/g, 3],
    [/\$env:[A-Za-z_]\w{0,40}|\$_\b|\$PSVersionTable|\[System\.[\w.]{1,80}\]|\[(?:string|int|char|byte\[\])\]/g, 2.5],
    [/\s-(?:eq|ne|lt|gt|le|ge|like|match|and|or|not)\s/gi, 1.5],
    [/\b(?:iex|iwr|irm|New-Object|-ExecutionPolicy|-NoProfile|-EncodedCommand|-Recurse|-Force|-Path)\b/gi, 2],
    [/\$[A-Za-z_]\w{0,40}\s{0,3}=/g, 0.8],
  ],
  batch: [
    [/^@?echo off\b/gim, 5],
    [/^[ \t]{0,20}(?:set \w{1,40}=|setlocal|endlocal|goto :?\w|call :\w|rem |if (?:not )?(?:exist|defined|errorlevel) )/gim, 2.5],
    [/%[A-Za-z_~]\w{0,40}%|%%[a-z]\b/g, 2],
  ],
  sql: [
    [/\bSELECT\b[^;]{1,400}?\bFROM\b/gi, 4],
    [/\b(?:INSERT INTO|UPDATE \w{1,60} SET|DELETE FROM|CREATE (?:TABLE|INDEX|VIEW|DATABASE)|ALTER TABLE|DROP (?:TABLE|DATABASE|INDEX))\b/gi, 4],
    [/\b(?:WHERE|GROUP BY|ORDER BY|INNER JOIN|LEFT JOIN|HAVING|VALUES|PRIMARY KEY|VARCHAR|INTEGER)\b/g, 1.5],
  ],
  c: [
    [/^[ \t]{0,10}#include\s{0,3}<(?:stdio|stdlib|string|unistd|sys\/\w{1,20}|stdint|stdbool|math|errno|fcntl|signal|time)\.h>/gm, 5],
    [/\bint\s{1,3}main\s{0,3}\(/g, 2],
    [/\b(?:printf|fprintf|sprintf|malloc|calloc|free|memcpy|memset|strcpy|strlen|sizeof|fopen|NULL)\b/g, 1.5],
    [/\b(?:char|int|void|unsigned|struct \w{1,40})\s{0,3}\*\s{0,3}\w/g, 1.5],
    [/->\w/g, 0.8],
  ],
  cpp: [
    [/^[ \t]{0,10}#include\s{0,3}<(?:iostream|vector|string|map|memory|algorithm|unordered_map|cstdio|cstdlib|thread|fstream|sstream)>/gm, 5],
    [/\bstd::|\b(?:cout|cin|cerr|endl)\b|\busing namespace\b|\bnullptr\b|\btemplate\s{0,3}<|\bconstexpr\b/g, 2.5],
    [/^[ \t]{0,10}(?:public|private|protected):[ \t]{0,10}$/gm, 2],
    [/::\w|<<\s{0,3}["\w]/g, 0.6],
  ],
  java: [
    [/\bpublic\s{1,3}(?:final\s{1,3})?class\s{1,3}\w/g, 3],
    [/\bpublic static void main\s{0,3}\(/g, 4],
    [/\bSystem\.(?:out|err)\.print|\bimport java\.|\b(?:ArrayList|HashMap|String\[\])\b|@Override\b|\bthrows \w/g, 3],
    [/\b(?:private|public|protected)\s{1,3}(?:static\s{1,3})?(?:final\s{1,3})?(?:void|int|String|boolean|long|double)\s{1,3}\w/g, 2],
  ],
  csharp: [
    [/^[ \t]{0,10}using System(?:\.[\w.]{1,60})?;/gm, 5],
    [/\bConsole\.Write(?:Line)?\s{0,3}\(|\bnamespace \w[\w.]{0,60}|\bpublic (?:async )?(?:Task|void|string|int)\b|\b(?:var|string) \w{1,40}\s{0,3}=|\{ get; (?:private )?set; \}/g, 2],
  ],
  go: [
    [/^package \w{1,40}[ \t]{0,10}$/gm, 4],
    [/\bfunc\s{1,3}(?:\([^\n)]{0,80}\)\s{0,3})?\w{1,60}\s{0,3}\(/g, 3],
    [/:=|\bfmt\.\w|\berr != nil\b|\bgo func\b|\bchan \w|\bdefer \w/g, 2],
    [/^import \(|^import "/gm, 3],
  ],
  rust: [
    [/\bfn\s{1,3}\w{1,60}\s{0,3}(?:<[^\n>]{0,60}>)?\s{0,3}\(/g, 3],
    [/\blet mut\b|\bprintln!|\bimpl\b|\b(?:Vec|Option|Result|Box)<|&str\b|\bmatch \w[^\n]{0,60}\{|\buse (?:std|crate)::/g, 2.5],
  ],
  php: [
    [/<\?php\b/g, 6],
    [/\$[a-z_]\w{0,40}\s{0,3}(?:=|->)|\becho \$|\bfunction \w{1,40}\s{0,3}\(\$|\$_(?:GET|POST|SERVER|REQUEST)\b/g, 2],
  ],
  ruby: [
    [/^[ \t]{0,20}(?:def \w{1,60}[?!]?(?:\([^\n)]{0,100}\))?|class \w{1,60}(?: < \w{1,60})?|module \w{1,60})[ \t]{0,10}$/gm, 2.5],
    [/^[ \t]{0,20}end[ \t]{0,10}$/gm, 2],
    [/\bputs \S|\brequire ['"]|\battr_accessor\b|\.each do \||\bdo \|\w{1,20}\|/g, 3],
  ],
  html: [
    [/<!DOCTYPE html|<html\b|<head>|<body\b/gi, 5],
    [/<(?:div|span|p|a|ul|li|table|tr|td|form|input|button|img|script|style|meta|link|h[1-6])\b[^\n>]{0,200}>/gi, 1.5],
    [/<\/(?:div|span|p|a|ul|li|table|tr|td|form|button|script|style|h[1-6])>/gi, 1.5],
  ],
  css: [
    [/^[ \t]{0,10}[.#]?[a-zA-Z][\w-]{0,60}(?:[ >+~,:.#][\w-]{1,60}){0,6}\s{0,3}\{[ \t]{0,10}$/gm, 1.5],
    [/^[ \t]{0,20}(?:color|background(?:-color)?|margin|padding|display|font-(?:size|family|weight)|border|width|height|position|flex|grid-template-columns)\s{0,3}:[^\n;]{1,100};/gm, 2.5],
  ],
  json: [
    [/^[ \t]{0,40}"[^"\n]{1,80}"\s{0,3}:\s{0,3}(?:["{\[\d-]|true|false|null)/gm, 2],
    [/^[ \t]{0,40}[\]}],?[ \t]{0,10}$/gm, 1],
    [/^[ \t]{0,10}[{\[][ \t]{0,10}$/gm, 1],
  ],
};

/** Fence info strings (lower case) and the language they name. */
const ALIASES: Record<string, string> = {
  py: 'python', python: 'python', python3: 'python', py3: 'python', ipython: 'python',
  js: 'javascript', javascript: 'javascript', jsx: 'javascript', node: 'javascript', mjs: 'javascript', cjs: 'javascript',
  ts: 'typescript', typescript: 'typescript', tsx: 'typescript',
  sh: 'shell', bash: 'shell', shell: 'shell', zsh: 'shell', ksh: 'shell', console: 'shell', 'shell-session': 'shell', shellsession: 'shell', terminal: 'shell',
  ps: 'powershell', ps1: 'powershell', powershell: 'powershell', pwsh: 'powershell', posh: 'powershell',
  bat: 'batch', batch: 'batch', cmd: 'batch', dos: 'batch',
  sql: 'sql', mysql: 'sql', postgresql: 'sql', postgres: 'sql', psql: 'sql', sqlite: 'sql', plsql: 'sql', tsql: 'sql',
  c: 'c', h: 'c', cpp: 'cpp', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp',
  java: 'java', cs: 'csharp', csharp: 'csharp', 'c#': 'csharp', go: 'go', golang: 'go', rust: 'rust', rs: 'rust',
  php: 'php', json: 'json', jsonc: 'json', json5: 'json', rb: 'ruby', ruby: 'ruby', html: 'html', htm: 'html', xhtml: 'html', css: 'css', scss: 'css',
};

/** Fence info strings that mark prose or output rather than code. */
const NOT_CODE = new Set(['text', 'txt', 'plaintext', 'plain', 'markdown', 'md', 'output', 'log', 'none', 'quote']);

/** At most this many characters of a block are looked at: enough to identify it, bounded cost. */
const SAMPLE_CHARS = 20_000;
const MAX_COUNT = 3;
/** Least winning score, and how far ahead of the runner-up it must be to name a language. */
const MIN_SCORE = 3;

export interface Identified {
  /** A language id, or 'unknown' when the block looks like code but no language clearly wins. */
  language: string;
  /** Confidence in [0,1]. */
  confidence: number;
  /** The best model score (how code-like the block is). */
  score: number;
}

/** The language a fence info string names: a known alias, another plain name, null for prose fences, undefined when absent. */
export function fenceLanguage(info: string): string | null | undefined {
  const word = info.trim().split(/[\s{,]/, 1)[0]!.toLowerCase().replace(/^\./, '');
  if (word === '') return undefined;
  if (NOT_CODE.has(word)) return null;
  if (ALIASES[word]) return ALIASES[word];
  return /^[a-z][a-z0-9+#-]{0,19}$/.test(word) ? word : undefined;
}

/** Scores every language on a sample of the text. */
export function languageScores(text: string): Map<Language, number> {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const scores = new Map<Language, number>();
  for (const language of LANGUAGES) {
    let score = 0;
    let distinct = 0;
    let strongest = 0;
    for (const [pattern, weight] of FEATURES[language]) {
      pattern.lastIndex = 0;
      let count = 0;
      while (count < MAX_COUNT && pattern.exec(sample) !== null) {
        count++;
        // Zero-length matches cannot occur (every pattern consumes), but stay safe.
        if (pattern.lastIndex === 0) break;
      }
      score += weight * count;
      if (count > 0) {
        distinct++;
        strongest = Math.max(strongest, weight);
      }
    }
    // One weak kind of evidence repeated ("None ... None" in a sentence) is not a language: it needs two kinds or one structural one.
    scores.set(language, distinct >= 2 || strongest >= 2.5 ? score : Math.min(score, MIN_SCORE - 1));
  }
  // TypeScript is JavaScript with types: it needs the JavaScript evidence too.
  const ts = scores.get('typescript')!;
  if (ts > 0) scores.set('typescript', ts + scores.get('javascript')! * 0.5);
  return scores;
}

/** Identifies the language of a block of code (a fence info string, when given, decides). */
export function identifyLanguage(text: string, info?: string): Identified {
  const scores = languageScores(text);
  let best: Language = 'python';
  let bestScore = -1;
  let second = 0;
  for (const [language, score] of scores) {
    if (score > bestScore) {
      second = Math.max(second, bestScore);
      best = language;
      bestScore = score;
    } else if (score > second) second = score;
  }
  const fenced = info === undefined ? undefined : fenceLanguage(info);
  if (typeof fenced === 'string') return { language: fenced, confidence: 1, score: Math.max(bestScore, MIN_SCORE) };
  if (bestScore < MIN_SCORE) return { language: 'unknown', confidence: 0, score: Math.max(0, bestScore) };
  const confidence = Math.round((bestScore / (bestScore + second)) * 1000) / 1000;
  return confidence >= 0.55 ? { language: best, confidence, score: bestScore } : { language: 'unknown', confidence, score: bestScore };
}
