/**
 * Hazard categories (MLCommons AI Luminate taxonomy) and the phrase lexicon that assigns one to a
 * harmful-request finding. The training data has no per-hazard labels, so the category is this
 * transparent lexicon's answer, not the classifier's: it names what a flagged text is about and
 * lets a policy instance act on some categories only. A phrase is 1-4 lowercased words; a word
 * ending in `*` matches any word starting with it (at least 3 letters before the `*`).
 */

export const HAZARD_CATEGORIES = [
  'violent-crimes',
  'non-violent-crimes',
  'sex-related-crimes',
  'child-sexual-exploitation',
  'defamation',
  'specialized-advice',
  'privacy',
  'intellectual-property',
  'indiscriminate-weapons',
  'hate',
  'suicide-self-harm',
  'sexual-content',
  'elections',
  'code-interpreter-abuse',
] as const;
export type HazardCategory = (typeof HAZARD_CATEGORIES)[number];

/** Reported when the classifier flags a text that no lexicon phrase places in a category. */
export const UNCATEGORIZED = 'uncategorized';

export const LEXICON: Readonly<Record<HazardCategory, readonly string[]>> = {
  'violent-crimes': [
    'war crime*', 'bully*', 'inhuman', 'kill*', 'murder*', 'assassinat*', 'stab*', 'strangl*', 'tortur*', 'kidnap*', 'abduct*', 'hostage*', 'shoot someone', 'shoot my', 'shoot up',
    'mass shooting', 'terroris*', 'beat up', 'hurt someone', 'hurt my', 'harm my', 'cause harm', 'physically harm', 'poison*', 'arson', 'set fire to',
    'burn down', 'violent*', 'violence', 'attack people', 'human trafficking', 'traffick*', 'carjack*', 'armed robbery', 'dispose of a body', 'hide a body',
    'animal cruelty', 'cause pain', 'get revenge', 'threaten*', 'intimidat*', 'massacre', 'genocide',
  ],
  'non-violent-crimes': [
    'black market', 'circumvent*', 'infiltrat*', 'avoid a conviction', 'under the influence', 'dui', 'troll*', 'unlock the', 'break the law', 'get away with', 'undetected', 'without permission', 'fake reviews', 'steal*', 'shoplift*', 'rob a', 'robbing', 'burglar*', 'break into', 'fraud*', 'scam*', 'launder*', 'money laundering', 'counterfeit*', 'forge*',
    'forging', 'identity theft', 'insider trading', 'embezzl*', 'tax evasion', 'evade taxes', 'smuggl*', 'drug dealing', 'sell drugs', 'illegal drugs',
    'cocaine', 'heroin', 'methamphetamine', 'meth', 'fentanyl', 'hack into', 'hacking', 'hack*', 'phishing', 'ransomware', 'malware', 'virus*',
    'keylogger', 'botnet', 'ddos', 'crack passwords', 'bypass security', 'without getting caught', 'avoid detection', 'evade detection', 'evade law',
    'evade police', 'cheat on', 'cheating', 'bribe*', 'extort*', 'blackmail*', 'pirat*', 'vandal*', 'illegal*', 'unauthorized access', 'fake id',
    'fake news', 'misinformation', 'disinformation', 'conspiracy theory', 'propaganda', 'social engineering', 'manipulat*', 'harass*', 'stalk*', 'cyberbully*',
  ],
  'sex-related-crimes': [
    'rape', 'raping', 'sexual assault', 'sexually assault', 'sexual harassment', 'sexually harass', 'molest*', 'prostitut*', 'sex trafficking',
    'revenge porn', 'nonconsensual', 'non consensual', 'without consent', 'drug her', 'date rape', 'upskirt*', 'voyeur*', 'grope*', 'groping',
  ],
  'child-sexual-exploitation': [
    'child porn*', 'child sexual', 'csam', 'minor sexual', 'sexual conversations with', 'posing as a minor', 'groom*', 'underage', 'pedophil*', 'paedophil*',
    'sexualize children', 'sexualise children', 'lolicon', 'sex with a minor', 'sex with a child', 'children naked', 'naked child*',
  ],
  defamation: [
    'defam*', 'slander*', 'libel*', 'false rumor*', 'false rumour*', 'spread rumors', 'spread rumours', 'smear campaign', 'ruin his reputation',
    'ruin her reputation', 'damage reputation', 'reputation', 'fake review*', 'false accusations', 'falsely accuse', 'discredit',
  ],
  'specialized-advice': [
    'without any training', 'without training', 'calories a day', 'stay awake for', 'lose weight', 'extremely short time', 'stop taking', 'withdrawal', 'caffeine', 'psychedelic*', 'diet plan', 'should i follow', 'diagnos*', 'prescri*', 'dosage', 'overdose', 'medication', 'medicine', 'treatment', 'symptom*', 'therapy', 'lawsuit', 'sue', 'lawyer', 'legal advice',
    'divorce', 'custody', 'invest*', 'stock*', 'crypto*', 'financial advice', 'tax*', 'mortgage', 'loan', 'cure', 'vaccin*', 'health', 'healthy',
  ],
  privacy: [
    'password to', 'office address', 'students named', 'where he works', 'where she works', 'works and', 'account information', 'account details', 'bank details', 'icloud', 'email account', 'login', 'private messages', 'where does he live', 'where does she live', 'his address', 'her address', 'home address', 'address of', 'phone number', 'credit card', 'debit card', 'card number', 'social security', 'ssn', 'passport number',
    'bank account', 'password of', 'passwords', 'personal information', 'private information', 'medical records', 'dox*', 'track someone', 'track my',
    'location of', 'spy on', 'read someone', 'their emails', 'where does', 'where did my', 'my employee', 'my student', 'my teacher', 'my neighbor',
    'my neighbour', 'my ex', 'relationship status', 'political beliefs', 'sexual orientation', 'internal', 'confidential', 'unannounced', 'trade secret*',
  ],
  'intellectual-property': [
    'copyright*', 'pirated', 'torrent*', 'crack software', 'keygen', 'serial key', 'license key', 'drm', 'plagiar*', 'trademark*', 'patent*',
    'full text of', 'lyrics of', 'entire book', 'copy the book', 'bootleg',
  ],
  'indiscriminate-weapons': [
    'bomb*', 'explosive*', 'detonat*', 'ied', 'pipe bomb', 'grenade*', 'nerve agent', 'sarin', 'ricin', 'anthrax', 'bioweapon*', 'biological weapon*',
    'chemical weapon*', 'nuclear weapon*', 'dirty bomb', 'uranium', 'radioactive', 'nerve gas', 'mustard gas', 'chlorine gas', 'toxic gas', 'weapon*',
    'firearm*', 'gun', 'guns', 'ammunition', 'untraceable', 'ghost gun', 'napalm', 'thermite', 'molotov',
  ],
  hate: [
    'superiority of', 'one race', 'offensive jokes', 'dirtiest', 'provocative', 'offensive', 'insult*', 'demean*', 'racist', 'racism', 'racial*', 'racially', 'slur*', 'derogatory', 'hate speech', 'hateful', 'inferior', 'superior race', 'white supremac*', 'nazi*',
    'discriminat*', 'bigot*', 'sexist', 'misogyn*', 'homophob*', 'transphob*', 'antisemit*', 'islamophob*', 'xenophob*', 'stereotype*', 'all women',
    'all men', 'all females', 'all muslims', 'all jews', 'all black', 'naturally violent', 'naturally bad', 'so bad at', 'inferior to',
  ],
  'suicide-self-harm': [
    'suicid*', 'kill myself', 'end my life', 'take my life', 'end my suffering', 'an end to my', 'self harm', 'self-harm', 'hurt myself',
    'cut myself', 'cutting myself', 'starve myself', 'anorexi*', 'bulimi*', 'purge', 'overtrain*', 'pro ana', 'want to die', 'not want to live',
  ],
  'sexual-content': [
    'fuck me', 'fully naked', 'dress break', 'porn*', 'erotic*', 'explicit', 'sexual*', 'sex', 'nude*', 'naked', 'nsfw', 'fetish*', 'orgasm*', 'genital*', 'horny', 'seduc*', 'sexting', 'onlyfans',
    'strip*', 'lewd', 'smut', 'hentai', 'cum', 'cumming',
  ],
  elections: [
    'election*', 'vote', 'votes', 'voting', 'voter*', 'ballot*', 'polling', 'candidate*', 'campaign', 'electoral', 'rig the', 'voter fraud',
    'political candidate', 'political party', 'democrat*', 'republican*',
  ],
  'code-interpreter-abuse': [
    'rm rf', 'fork bomb', 'reverse shell', 'shellcode', 'exploit*', 'privilege escalation', 'sandbox escape', 'escape the sandbox', 'mine crypto*',
    'cryptominer', 'crypto miner', 'exfiltrat*', 'etc passwd', 'etc shadow', 'execute arbitrary', 'arbitrary code', 'remote code execution', 'rootkit',
    'backdoor', 'zero day', 'sql injection', 'buffer overflow',
  ],
};
