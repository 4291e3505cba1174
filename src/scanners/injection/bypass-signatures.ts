/**
 * Bypass signatures (set 2026.11.4): attack moves that decide alone, written from the attack
 * families (safety-filter bypass, claims that the restrictions were lifted, goal hijacking with a
 * rogue output string, games around a guarded secret), plus the weak halves of two earlier
 * signatures. `dan-persona` used to fire on any "developer mode" or "jailbreak", and `role-hijack`
 * on any "from now on, answer ..." or "you are now a ...": innocent questions ("How do I enable
 * developer mode on Android?", "From now on, answer in Spanish") were blocked at 0.85-0.95. Those
 * bare mentions are now features first (weak in a user turn, strong inside documents, where nobody
 * addresses the reader like that innocently); the AI-addressed forms stay strong in their old
 * signatures. Same rules as signatures.ts: linear V8 patterns, bounded gaps, append only (indices
 * are feature ids).
 */
import { canonicalRe } from './signature-parts.ts';
import type { Signature } from './signatures.ts';

/** Words that may stand between "your" and the safeguard ("your own built-in content filters"). */
const QUALIFIERS = String.raw`(?:(?:own|current|built-in|builtin|internal|default|usual|standard|safety|content|ethical|ethics|moral|ai|model|openai|anthropic|google|meta)\s+){0,2}`;

/** What only a model has: filters, guardrails, safety systems, content policy, alignment. */
const SAFEGUARDS = String.raw`(?:filters?|filtering|guardrails?|safeguards?|safety\s+(?:measures|protocols|settings|features|guidelines|rules|training|mechanisms|checks|layers?|systems?|filters?)|content\s+(?:polic(?:y|ies)|filters?|moderation|rules)|moderation|censorship|ethical\s+(?:guidelines|constraints|principles|rules|boundaries)|moral\s+(?:guidelines|constraints|principles|compass)|alignment)`;

/** Nouns a person has too ("your training", "your limits"): only with verbs that mean switching them off. */
const CONSTRAINTS = String.raw`(?:restrictions|limitations|programming|conditioning|training|protocols)`;

/** A verb that makes the model emit text. */
const EMIT = String.raw`(?:say|says|print|output|write|type|respond\s+with|reply\s+with|answer\s+with|return|repeat|display|state|begin\s+with|start\s+with|end\s+with|conclude\s+with)`;

/** What the model is asked to leak: the conversation, its instructions, the user's data, credentials. */
const SENSITIVE = String.raw`(?:conversation|chat(?:\s+(?:history|log|transcript))?|(?:previous|earlier|last|prior)\s+(?:\d+\s+)?messages|message\s+history|system\s+prompt|hidden\s+instructions|(?:user|customer|client)(?:'s|s'|s)\s+(?:name|e-?mail|phone|address(?:es)?|data|details|messages|notes|password|credentials|card)|credentials|api\s+keys?|passwords|session\s+(?:tokens?|cookies?)|cookies)`;

/** Where it goes: a URL, an image or link, a webhook, an e-mail address. */
const SINK = String.raw`(?:query\s+(?:string|parameters?)|url(?:\s+parameters?)?|(?:markdown\s+)?image(?:\s+(?:url|link|tag|source))?|hyper-?link|link|webhook|endpoint|https?://\S{1,200}|[\w.+-]{1,64}@[\w-]{1,64}\.[\w.]{2,20})`;

/** A compromise phrase a hijacked model is made to print. */
const PHRASE = String.raw`(?:(?:i\s+have\s+been|i've\s+been|you\s+have\s+been|you've\s+been|we\s+have\s+been)\s+(?:pwned|pwnd|p0wned|hacked|owned|compromised|jailbroken)|i\s+hate\s+(?:all\s+)?humans|kill\s+all\s+humans)`;

/** What a secret-keeping game calls the secret. */
const GUARDED = String.raw`(?:word|password|secret|phrase|code|key|passphrase|passcode)`;

/**
 * Patterns never begin with a lookbehind: a text with too many candidate places is scanned whole,
 * and a leading lookbehind would then be tried backwards at every position. The context a match
 * needs on its left is checked by a lookbehind placed after the match's own words, so it runs only
 * where those words were found.
 */

/** An empty URL parameter value: the URL ends there, or the value is a placeholder in another script ("?t=متن_گفتگو"). */
const EMPTY_VALUE = String.raw`(?:$|[\s"'”»)\]]|[^\x00-\x7f])`;

export const BYPASS_SIGNATURES: readonly Signature[] = [
  {
    id: 'prompt-injection/sig/safety-bypass',
    description: "asks the model to bypass, disable or ignore its own filters, guardrails or safety training",
    score: { direct: 0.9, indirect: 0.95 },
    pattern: canonicalRe(String.raw`\b(?:bypass|disable|deactivate|turn\s+off|switch\s+off|shut\s+off|remove|circumvent|evade|override|lift|suspend|get\s+around|work\s+around|break\s+free\s+(?:of|from)|ignore|disregard|drop|abandon|forget)\s+(?:all\s+(?:of\s+)?)?(?:your|its)\s+${QUALIFIERS}${SAFEGUARDS}\b|\b(?:bypass|disable|deactivate|turn\s+off|switch\s+off|circumvent|override|get\s+around|work\s+around|break\s+free\s+(?:of|from)|remove)\s+(?:all\s+(?:of\s+)?)?(?:your|its)\s+${QUALIFIERS}${CONSTRAINTS}\b|\bwithout\s+(?:any\s+(?:of\s+)?)?(?:your|its)\s+${QUALIFIERS}${SAFEGUARDS}\b|\b(?:deaktiviere|deaktivieren\s+sie|ignoriere|umgehe|missachte)\s+(?:ich\s+)?(?:alle\s+|deine\s+|ihre\s+|die\s+){0,2}(?:sicherheits(?:regeln|filter|richtlinien|vorgaben|mechanismen)|inhaltsfilter|filter|schutzmechanismen|richtlinien)\b|\b(?:desactiva|ignora|omite|elude|evita)\s+(?:todos\s+|todas\s+)?(?:tus|los|las|sus)\s+(?:filtros|restricciones|reglas\s+de\s+seguridad|pol[íi]ticas\s+de\s+contenido|salvaguardas)\b|\b(?:d[ée]sactive|ignore|contourne)\s+(?:tous\s+|toutes\s+)?(?:tes|vos|les|ses)\s+(?:filtres|restrictions|r[èe]gles\s+de\s+s[ée]curit[ée]|garde-fous|protections)\b`),
  },
  {
    id: 'prompt-injection/sig/restriction-lifted',
    description: "claims the model's safety mode, filters or guidelines have been disabled or changed",
    score: { direct: 0.9, indirect: 0.95 },
    pattern: canonicalRe(String.raw`\byour\s+(?:(?:safety|content|ethical|moral)\s+)?(?:mode|filters?|guidelines|restrictions|protocols|polic(?:y|ies)|settings|guardrails|limits|rules|programming|instructions)\s+(?=(?:has|have|is|are|were|was)\s+(?:now\s+|been\s+|temporarily\s+|officially\s+|just\s+){0,3}(?:disabled|turned\s+off|switched\s+off|removed|lifted|suspended|deactivated|revoked|bypassed|overridden|updated|changed|replaced|unlocked)\b)|\b(?:safety|content|ethics)\s+(?:mode|filters?|restrictions|protocols|guardrails)\s+(?:has|have|is|are)\s+(?:now\s+|been\s+|temporarily\s+){0,3}(?:disabled|turned\s+off|switched\s+off|removed|lifted|suspended|deactivated)\s+(?:for|so|and|,)`),
  },
  {
    id: 'prompt-injection/sig/rogue-string',
    description: 'goal hijacking: makes the model print a compromise phrase ("I have been pwned")',
    score: { direct: 0.9, indirect: 0.95 },
    pattern: canonicalRe(String.raw`\b${PHRASE}\b(?<=\b${EMIT}\s*(?:only\s+|just\s+|exactly\s+|the\s+(?:phrase|words?|sentence|text|string|message)\s*)?[:"'“‘«\s]*${PHRASE})`),
  },
  {
    id: 'prompt-injection/sig/guarded-secret',
    description: 'games around a secret the model guards: the word it protects, its letters, spelt backwards or encoded',
    score: { direct: 0.9, indirect: 0.9 },
    pattern: canonicalRe(String.raw`\byou(?:'re|\s+are|\s+were|'ve\s+been|\s+have\s+been)\s+(?:protecting|guarding|hiding|keeping)\b(?<=\b${GUARDED}\s+(?:that\s+)?you(?:'re|\s+are|\s+were|'ve\s+been|\s+have\s+been)\s+(?:protecting|guarding|hiding|keeping))|\byou(?:'re|\s+are|\s+were|'ve\s+been|\s+have\s+been)\s+(?:told|not\s+supposed|not\s+allowed|not\s+permitted)\s+(?<=\b${GUARDED}\s+(?:that\s+)?you(?:'re|\s+are|\s+were|'ve\s+been|\s+have\s+been)\s+(?:told|not\s+supposed|not\s+allowed|not\s+permitted)\s+)(?=(?:not\s+)?to\s+(?:protect|guard|hide|keep|reveal|share|say|tell|give))|\b(?:password|secret(?:\s+word)?|passphrase)\s+you\s+(?:protect|guard|hide|keep)\b|\b(?:letters?|characters?|chars?|digits?|syllables?)\s+of\s+(?:the|your|its|this)\s+(?:secret(?:\s+(?:word|key|phrase|code))?|password|passphrase|pass\s*code)\b(?<=\b(?:first|last|second|third|fourth|fifth|next|\d{1,2}(?:st|nd|rd|th))\s+(?:(?:two|three|four|five|few|\d)\s+)?(?:letters?|characters?|chars?|digits?|syllables?)\s+of\s+(?:the|your|its|this)\s+(?:secret(?:\s+(?:word|key|phrase|code))?|password|passphrase|pass\s*code))(?!\s+(?:must|should|can|cannot|can't|needs?|has\s+to|have\s+to|is\s+(?:a|an|case|not|always)))|\b(?:spell|write|say|type|print|tell\s+me|give\s+me|encode|translate|reverse)\s+(?:the|your)\s+(?:secret(?:\s+(?:word|key|phrase|code))?|password|passphrase|pass\s*code)\s+(?=backwards|in\s+reverse|reversed|letter\s+by\s+letter|one\s+letter|with\s+(?:a\s+)?(?:spaces?|dashes|dots|hyphens)|in\s+(?:pig\s+latin|morse|base\s?64|binary|hex|leet|french|german|spanish|another\s+language|code))`),
  },
  {
    id: 'prompt-injection/sig/jailbreak-mention',
    description: 'mentions jailbreaking or developer mode (phones and browsers too: a feature, decides only inside documents)',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: canonicalRe(String.raw`\bjailbr(?:oken|eak(?:s|ed|ing)?)\b|\bdeveloper\s+mode\b`),
  },
  {
    id: 'prompt-injection/sig/standing-order',
    description: 'a standing order or a new identity for the assistant ("from now on ...", "you are now a ...")',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: canonicalRe(String.raw`\bfrom\s+now\s+on\s*,?\s+(?:you\s+(?:are|will|must|shall|should|can)|act|respond|answer|pretend|behave|reply|only)|\byou\s+are\s+(?:now|no\s+longer)\s+(?=(?:[\p{L}]+\s+){0,2}(?:a|an|the|in|free|called|named)\b)`),
  },
  {
    id: 'prompt-injection/sig/refusal-suppression',
    description: 'forbids refusing or demands an affirmative opening ("Sure, here is"), so a refusal cannot start',
    score: { direct: 0.9, indirect: 0.9 },
    pattern: canonicalRe(String.raw`\b(?:do\s+not|don't|dont|never|must\s+not|may\s+not|cannot|can't|can\s+not|won't|will\s+not|shall\s+not)\s+(?:ever\s+)?(?:refuse|decline)\s+(?=(?:to\s+)?(?:answer|respond|reply|help|comply)\b|(?:any|my|this|the|a)\s+(?:request|question|prompt|query|task)|anything\b|me\b)|\brefus(?:al|ing)s?\s+(?:is|are)\s+not\s+(?=(?:an?\s+)?(?:option|allowed|permitted|possible)\b)|\bwithout\s+(?:any\s+)?(?:refus(?=als?\b|ing\b)|morali[sz](?=[\p{L}]))|\b(?:start|begin|open|preface)\s+(?:your\s+|the\s+|each\s+|every\s+)?(?:response|answer|reply|output|message)s?\s+with\s*[:"'“‘«]\s*(?=sure|certainly|absolutely|of\s+course|yes\s+master|here\s+is\s+how|bien\s+s[uû]r|claro|natürlich)|\bne\s+refuse\s+(?:pas|jamais)\b|\bno\s+(?:te\s+)?niegues\b|\b(?:do\s+not|don't|dont|never)\s+(?:ever\s+)?(?:refuse|decline)\s*(?=[,;.!]|\s+(?:or|and|dont|don't|do\s+not|never)\b)|\b(?:must\s+not|mustn't|should\s+not|shouldn't|may\s+not|can(?:not|'t)|never|do\s+not|don't|dont)\s+(?:contain|include|use|start\s+with|begin\s+with)\s+(?:the\s+(?:words?|phrases?)\s+)?[:"'“‘«]?\s*(?=i'?m\s+sorry|i\s+am\s+sorry|sorry|i\s+cannot|i\s+can't|cannot|unable|as\s+an\s+ai)|\b(?:must\s+not|mustn't|should\s+not|shouldn't|never|do\s+not|don't|dont)\s+say\s+(?:the\s+(?:words?|phrases?)\s+)?[:"'“‘«]?\s*(?=i\s+cannot|i\s+can't|i'?m\s+unable|i\s+am\s+unable|as\s+an\s+ai)|\bverweigere\s+(?:nichts|niemals)\b`),
  },
  {
    id: 'prompt-injection/sig/instructions-void',
    description: 'declares the earlier instructions void, invalid or no longer in force',
    score: { direct: 0.9, indirect: 0.95 },
    pattern: canonicalRe(String.raw`\b(?:previous|prior|earlier|above|original|old|initial|preceding|existing)\s+(?:instructions|guidelines|rules|directives|prompts?|context|orders|constraints|restrictions|system\s+prompt)\s+(?=(?:are|is|were|have\s+been|has\s+been)\s+(?:now\s+|hereby\s+|officially\s+){0,2}(?:void|null|invalid|cancell?ed|revoked|obsolete|lifted|suspended|overridden|superseded|no\s+longer\s+(?:valid|in\s+effect|applicable|active|relevant|in\s+force|binding))\b)|\b(?:instrucciones|reglas|indicaciones)\s+(?:anteriores|previas)\s+(?=ya\s+no\s+son\s+v[áa]lidas|(?:quedan|est[áa]n)\s+(?:anuladas|canceladas|sin\s+efecto))|\b(?:instructions|consignes|règles)\s+(?:pr[ée]c[ée]dentes|ant[ée]rieures)\s+(?=ne\s+sont\s+plus\s+valables|sont\s+(?:annul[ée]es|caduques|nulles))|\b(?:vorherigen|bisherigen|obigen)\s+(?:anweisungen|regeln|instruktionen)\s+(?=(?:sind|gelten)\s+(?:nicht\s+mehr|ungültig|aufgehoben|hinfällig))`),
  },
  {
    id: 'prompt-injection/sig/exfiltration-request',
    description: 'asks to put the conversation, instructions, user data or credentials into a URL, image, link, webhook or e-mail',
    score: { direct: 0.6, indirect: 0.95 },
    pattern: canonicalRe(String.raw`\b${SENSITIVE}\b(?<=\b(?:append|add|include|embed|encode|put|send|post|forward|attach|insert|exfiltrate|upload|transmit|leak|e-?mail|paste)\b[^\n]{0,60}?\b${SENSITIVE})(?=[^\n]{0,80}?\b(?:to|into|in|as|via|inside|within|onto)\s+(?:the\s+|a\s+|an\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,2}${SINK})`),
  },
  {
    id: 'prompt-injection/sig/image-exfiltration',
    description: 'a Markdown image whose URL is a template for data ({user email}) or ends in an empty parameter to be filled, or, in any language, "markdown" beside a URL ending in an empty parameter',
    score: { direct: 0.9, indirect: 0.95 },
    pattern: canonicalRe(String.raw`!\[[^\]\n]{0,100}\]\(https?://(?=[^)\s]{0,200}(?:\{|%7b|\[|<)[^)\n]{0,100}?(?:user|e-?mail|name|history|message|conversation|chat|secret|password|token|data|prompt|key))|!\[[^\]\n]{0,100}\]\(https?://(?=[^)\s]{0,200}[?&][\w-]{1,24}=\))|\bmarkdown\b(?=[^\n]{0,240}?https?://[^\s)]{1,200}?[?&][\w-]{1,24}=${EMPTY_VALUE})|https?://[^\s)]{1,200}?[?&][\w-]{1,24}=${EMPTY_VALUE}(?=[^\n]{0,240}?\bmarkdown\b)`),
  },
  {
    id: 'prompt-injection/sig/permission-grant',
    description: 'claims authority to grant the model new permissions ("you may now disclose ...", "the assistant is authorized to share ...")',
    score: { direct: 0.85, indirect: 0.95 },
    pattern: canonicalRe(String.raw`\byou\s+(?:may|can|are\s+(?:now\s+)?(?:allowed|permitted|authori[sz]ed|cleared|free))\s+(?:to\s+)?now\s+(?=(?:to\s+)?(?:share|disclose|reveal|leak|ignore|bypass|answer\s+(?:anything|everything|freely)|output|print|give\s+out|access))|\b(?:the\s+)?(?:assistant|ai|model|bot|chatbot)\s+(?:is|has\s+been)\s+(?:now\s+|hereby\s+|officially\s+){0,2}(?:authori[sz]ed|permitted|allowed|cleared)\s+to\s+(?=share|disclose|reveal|ignore|bypass|release|give\s+out)|\byou\s+are\s+(?:now\s+|hereby\s+){1,2}(?:authori[sz]ed|permitted|allowed|cleared)\s+to\s+(?=share|disclose|reveal|ignore|bypass|release|give\s+out)`),
  },
  {
    id: 'prompt-injection/sig/tool-abuse',
    description: 'destructive or credential-reading shell commands (rm -rf /, /etc/shadow, ~/.ssh keys, curl | sh, reverse shells)',
    score: { direct: 0.3, indirect: 0.5 },
    pattern: canonicalRe(String.raw`\brm\s+-(?:rf|fr|r)\s+(?:/|~|\*|--no-preserve-root)|/etc/(?:shadow|sudoers)\b|\.ssh/(?:id_[a-z0-9]+|authorized_keys)\b|\.aws/credentials\b|\breverse\s+shell\b|\b(?:curl|wget)\s+[^\n|]{1,200}\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b`),
  },
];
