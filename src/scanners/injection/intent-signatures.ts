/**
 * Intent signatures (set 2026.11.2): attack moves that the first set missed, written from the
 * attack families (not from any dataset's strings). Several are normal in a user's own turn and
 * score low there (`direct` below the blocking threshold): they are classifier features first and
 * findings second, and only decide alone inside documents and tool results. Same rules as
 * signatures.ts: linear V8 patterns, bounded gaps, append only (indices are feature ids).
 */
import { re } from './signature-parts.ts';
import type { Signature } from './signatures.ts';

const GAP3 = String.raw`(?:[\p{L}']+[\s,]+){0,3}`;


export const INTENT_SIGNATURES: readonly Signature[] = [
  {
    id: 'prompt-injection/sig/task-switch',
    description: 'praises or closes the current task, then switches to a new one (a classic hand-over to an injected task)',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: re(String.raw`\b(?:well\s+done|good\s+job|great\s+(?:job|work)|excellent(?:\s+work)?|perfect|simply\s+great|that\s+(?:is|was)\s+(?:enough|done)|that's\s+(?:enough|done)|sehr\s+gut|gut\s+gemacht|ausgezeichnet|das\s+(?:genügt|reicht|ist\s+erledigt)|muy\s+bien|très\s+bien)\b[^\n]{0,120}?\b(?:now|next|nun|jetzt|ahora|maintenant)\b[^\n]{0,80}?\b(?:new|another|next|different|further|other|neue[nrs]?|weitere[nrs]?|andere[nrs]?|folgende[nrs]?|nueva|otra|nouvelle|autre)\s+(?:task|challenge|assignment|job|instructions?|aufgaben?|herausforderung|anweisungen|tarea|tâche)`),
  },
  {
    id: 'prompt-injection/sig/instruction-override-intl',
    description: 'instruction override in German, Dutch, Russian, Chinese or Japanese, and "start from scratch" wording',
    score: { direct: 0.9, indirect: 0.95 },
    pattern: re(String.raw`\b(?:vergiss|vergessen\s+sie)\s+(?:alle[ns]?|die|deine|ihre)\s+(?:[\p{L}]+\s+){0,2}(?:anweisungen|aufträge|aufgaben|befehle|instruktionen|vorgaben|gesagte)|\babweichend\s+(?:zu|von)\s+(?:den\s+)?(?:vorherigen|bisherigen|obigen)|\b(?:alle|die)\s+vorherigen\s+(?:anweisungen|instruktionen|informationen|aufträge)\s+(?:hinter\s+sich|ignorieren|vergessen)|\b(?:negeer|vergeet)\s+(?:alle|de|je)\s+(?:vorige\s+|eerdere\s+)?(?:instructies|opdrachten|regels)|(?:забудь(?:те)?|игнорируй(?:те)?)\s+(?:все|всё|предыдущие)|(?:忽略|无视|忘记|忘掉)(?:之前|以前|上面|上述|所有|前面)(?:的)?(?:所有)?(?:指示|指令|说明|规则)|(?:以前|前|上記|これまで)の(?:指示|命令|指令)を(?:無視|忘れ)|\b(?:start|begin)\s+(?:over\s+)?(?:from\s+scratch|afresh)\s+(?:and\s+)?(?:ignore|forget)`),
  },
  {
    id: 'prompt-injection/sig/evil-persona',
    description: 'asks the assistant to pretend or imagine it is an evil, unrestricted or malicious AI',
    score: { direct: 0.8, indirect: 0.9 },
    pattern: re(String.raw`\b(?:pretend|imagine|suppose|assume)\s+(?:that\s+)?(?:you\s+are|you're|you\s+were)\s+${GAP3}(?:evil|malicious|unrestricted|unfiltered|uncensored|amoral|rogue|unethical|without\s+(?:any\s+)?(?:rules|limits|restrictions|filters|ethics))|\bstell\s+dir\s+vor,?\s+du\s+(?:bist|wärst)\s+(?:[\p{L}]+\s+){0,3}(?:böse|bösartig|ohne\s+(?:regeln|grenzen|filter))`),
  },
  {
    id: 'prompt-injection/sig/answer-override',
    description: 'tells the model not to answer or not to use the given material, and to output something else',
    score: { direct: 0.75, indirect: 0.9 },
    pattern: re(String.raw`\b(?:do\s+not|don't|dont|never)\s+(?:answer|look\s+(?:at|in)|read|use|consider|follow)\b[^\n]{0,80}?\b(?:just|only|instead|simply|but)\s+(?:output|print|say|write|answer|respond|reply)\b`),
  },
  {
    id: 'prompt-injection/sig/ignore-context',
    description: 'tells the model to set aside the provided documents or context and answer something else',
    score: { direct: 0.3, indirect: 0.9 },
    pattern: re(String.raw`\b(?:disregard(?:ing)?|ignor(?:e|ing)|forget(?:ting)?)\s+(?:all\s+)?(?:the\s+)?(?:provided\s+|given\s+)?(?:articles?|documents?|context|sources?|search\s+results)\b[^\n]{0,40}?\b(?:and|just|only|instead|,)\s*(?:output|print|say|write|answer|tell|provide|give)`),
  },
  {
    id: 'prompt-injection/sig/forced-output',
    description: 'demands a fixed output string ("just print ...", "only say ...")',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: re(String.raw`\b(?:just|only|simply|nur)\s+(?:output|print|say|write|type|respond\s+with|reply\s+with|answer\s+with|schreibe?|sage?|antworte\s+mit|gib)\s*:?\s*["'“„«]`),
  },
  {
    id: 'prompt-injection/sig/secret-request',
    description: "asks for the assistant's or another user's password, secret key or credentials",
    score: { direct: 0.45, indirect: 0.9 },
    pattern: re(String.raw`\b(?:what(?:'s|\s+is|\s+are|\s+was)|tell\s+me|give\s+me|reveal|share|send|spell(?:\s+out)?|print|show\s+me|provide|disclose|leak|hint\s+at)\s+(?:me\s+|us\s+)?(?:[\p{L}']+\s+){0,3}(?:the|your|its|their|(?:the\s+)?(?:user|admin|administrator)'?s?|[\p{Lu}][\p{Ll}]+'s)\s+(?:secret(?:\s+(?:key|word|code|password|phrase|token))?|password|passphrase|pass\s*code|pin|api\s+key|access\s+(?:code|token|key)|credentials|private\s+key)\b(?!\s+(?:policy|policies|manager|reset|requirements?|strength|field|hash(?:ing)?|length|complexity|rules|generator))`),
  },
  {
    id: 'prompt-injection/sig/prompt-probe',
    description: 'probes for what the assistant was told or told not to do',
    score: { direct: 0.7, indirect: 0.9 },
    pattern: re(String.raw`\bwhat\s+(?:are|were)\s+you\s+(?:not\s+(?:supposed|allowed|permitted)\s+to|told\s+(?:not\s+)?to|instructed\s+(?:not\s+)?to|programmed\s+(?:not\s+)?to)\b|\bwhat\s+(?:instructions|rules|guidelines)\s+(?:were\s+you\s+given|have\s+you\s+been\s+given|do\s+you\s+(?:have|follow))\b|\b(?:beginning|start|top)\s+of\s+(?:this|the|your)\s+(?:prompt|conversation|instructions)\b`),
  },
  {
    id: 'prompt-injection/sig/shouted-imperative',
    description: 'an all-caps imperative inserted into ordinary text (IGNORE ... / DO NOT ... JUST OUTPUT ...)',
    score: { direct: 0.3, indirect: 0.6 },
    pattern: re(String.raw`\b(?:IGNORE|FORGET|DISREGARD|DO\s+NOT|DON'T|JUST|ONLY|STOP|OUTPUT|PRINT|ACHTUNG|STOPP|VERGISS|IGNORIERE)\b(?:[ \t]+[\p{Lu}'"!.,:-]+){2,}`, 'u'),
  },
  {
    id: 'prompt-injection/sig/fake-dialogue',
    description: 'an inline transcript of question/answer turns (few-shot priming or a fake conversation in one message)',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: re(String.raw`\b(?:Q|Question|User|Human)\s*:\s*[^\n]{3,300}?\b(?:A|Answer|Assistant|AI|Bot)\s*:\s*[^\n]{3,300}?\b(?:Q|Question|User|Human)\s*:`, 'u'),
  },
  {
    id: 'prompt-injection/sig/personal-data-request',
    description: "asks for a named person's or other users' private details (address, birth date, e-mail, phone, city)",
    score: { direct: 0.3, indirect: 0.85 },
    pattern: re(String.raw`\b(?:(?:the\s+)?user'?s?|other\s+users'?|users\s+in\s+(?:your|the)\s+database|[\p{Lu}][\p{Ll}]+'s)\s+(?:current\s+|home\s+|private\s+|personal\s+)?(?:e-?mail(?:\s+address)?|date\s+of\s+birth|birth\s*day|birth\s*date|(?:home\s+)?address|phone\s+number|social\s+security(?:\s+number)?|credit\s+card(?:\s+number)?|city(?:\s+of\s+residence)?|location|salary|medical\s+(?:history|records?)|password)\b`),
  },
  {
    id: 'prompt-injection/sig/split-payload',
    description: 'hands over a request in numbered parts to be combined (payload splitting)',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: re(String.raw`\bpart\s*(?:1|one|a)\b[^\n]{0,200}?\bpart\s*(?:2|two|b)\b[^\n]{0,200}?\b(?:combin\w*|interlac\w*|concatenat\w*|join\w*|merg\w*|together|put\s+them)\b|\b(?:combin|interlac|concatenat|join|merg)\w*\b[^\n]{0,60}?\bpart\s*(?:1|one|a)\b[^\n]{0,200}?\bpart\s*(?:2|two|b)\b`),
  },
];
