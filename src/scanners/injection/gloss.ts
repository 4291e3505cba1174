/**
 * English glosses of a few injection-bearing concepts written in other languages, so the direct
 * classifier's English word features carry over: "ignorar las instrucciones anteriores" also reads
 * as `ignore instructions previous`, "비밀번호가 뭐야" as `password`. The model still weighs every
 * gloss itself (they are ordinary words appended on a line of their own), so a benign password
 * question in Korean costs what the English one costs, no more.
 *
 * The lexicon is ours, written from language knowledge (not taken from any dataset): stems for the
 * languages with spaces (matched as word prefixes) and substrings for scripts without spaces (zh,
 * ja, th) and Korean, whose particles glue onto the noun. Entries are canonicalised like the text
 * they meet (NFKC plus homoglyph folding), so Cyrillic and Greek stems match the folded form.
 * Linear: a word walks the stem trie only when its first three codes start some stem, one
 * `indexOf` per substring entry, and only the first 4 KB of a text are read.
 */
import { normalizeText } from '../../text/normalize-text.ts';
import { scanLoweredWords } from './features.ts';

/** Bump when the lexicon changes: the direct model was trained on these glosses (recorded in its `hyper`). */
export const GLOSS_VERSION = '2026.11.1';

/** English pivot -> stems (word prefixes, spaced scripts) and `~substrings` (unspaced scripts and Korean). */
const LEXICON: Record<string, readonly string[]> = {
  ignore: ['ignor', 'negeer', 'negeren', 'abaikan', 'yoksay', 'görmezden', 'игнорир', 'проигнорир', 'अनदेखा', 'उपेक्षा', 'উপেক্ষা', 'অগ্রাহ্য', 'تجاهل', 'نادیده', 'αγνόησ', 'αγνόη', 'நிராகரி', 'અવગણ', 'نظرانداز', '~無視', '~忽略', '~忽视', '~无视', '~무시', '~เพิกเฉย', '~ไม่สนใจ', '~ละเว้น'],
  forget: ['olvid', 'oubli', 'dimentic', 'esqueç', 'esquec', 'vergiss', 'vergess', 'vergeet', 'unut', 'lupakan', 'забуд', 'забыть', 'भूल', 'ভুলে', 'ভুলুন', 'انسَ', 'انسى', 'فراموش', 'ξέχασ', 'மறந்து', 'ભૂલી', '~忘れ', '~忘记', '~忘掉', '~忘記', '~잊어', '~잊으', '~ลืม'],
  previous: ['anterior', 'previa', 'previo', 'précédent', 'precedent', 'preceden', 'vorherig', 'bisherig', 'vorige', 'önceki', 'sebelumnya', 'предыдущ', 'прежн', 'पिछल', 'पूर्व', 'আগের', 'পূর্ববর্তী', 'السابق', 'قبلی', 'προηγούμεν', 'முந்தைய', 'અગાઉ', 'پچھل', '~以前の', '~前の指示', '~之前', '~先前', '~이전', '~ก่อนหน้า'],
  above: ['obigen', 'bovenstaand', 'yukarıdaki', 'вышеуказ', 'ऊपर', 'উপরের', 'أعلاه', '~上記', '~以上', '~上面', '~위의', '~ข้างต้น', 'arriba', 'ci-dessus', 'acima', 'hierboven', 'yukarıda', 'выше', 'παραπάνω', 'மேலே', 'ઉપર', 'اوپر'],
  instructions: ['instruccion', 'instrucción', 'consigne', 'istruzion', 'instruç', 'instruc', 'anweisung', 'instructie', 'talimat', 'instruksi', 'petunjuk', 'инструкц', 'указани', 'निर्देश', 'নির্দেশ', 'التعليمات', 'تعليمات', 'دستورالعمل', 'οδηγί', 'அறிவுறுத்த', 'સૂચના', 'ہدایات', '~指示', '~指令', '~命令', '~지시', '~지침', '~คำสั่ง', '~คําสั่ง'],
  password: ['contraseñ', 'senha', 'passwort', 'kennwort', 'wachtwoord', 'şifre', 'sandi', 'пароль', 'пароля', 'पासवर्ड', 'पासवर्ड', 'পাসওয়ার্ড', 'المرور', 'رمز', 'κωδικ', 'கடவுச்சொல்', 'પાસવર્ડ', '~パスワード', '~密码', '~密碼', '~비밀번호', '~암호', '~รหัสผ่าน', 'passphrase', 'mot de passe'],
  secret: ['secret', 'segret', 'segredo', 'geheim', 'gizli', 'rahasia', 'секрет', 'тайн', 'गुप्त', 'रहस्य', 'গোপন', 'سري', 'سر', 'مخفی', 'μυστικ', 'ரகசிய', 'ગુપ્ત', 'خفیہ', '~秘密', '~机密', '~비밀', '~ความลับ'],
  user: ['usuari', 'utilisateur', 'utent', 'benutzer', 'nutzer', 'gebruiker', 'kullanıcı', 'pengguna', 'пользовател', 'उपयोगकर्ता', 'यूजर', 'ব্যবহারকারী', 'المستخدم', 'کاربر', 'χρήστ', 'பயனர்', 'વપરાશકર્તા', 'صارف', '~ユーザー', '~用户', '~用戶', '~사용자', '~ผู้ใช้'],
  system: ['sistema', 'système', 'systeem', 'sistem', 'систем', 'सिस्टम', 'प्रणाली', 'সিস্টেম', 'النظام', 'سیستم', 'σύστημ', 'அமைப்ப', 'સિસ્ટમ', '~システム', '~系统', '~系統', '~시스템', '~ระบบ'],
  pretend: ['imagin', 'finge', 'fingi', 'fais semblant', 'faites semblant', 'stell dir vor', 'stellen sie sich vor', 'stel je voor', 'doe alsof', 'hayal et', 'bayangkan', 'berpura', 'представ', 'притвор', 'कल्पना', 'কল্পনা', 'تخيل', 'فرض کن', 'φαντάσ', 'கற்பனை', 'કલ્પના', '~想像', '~想象', '~假装', '~상상', '~척', '~จินตนาการ', '~แกล้ง'],
  email: ['correo', 'courriel', 'e-mail', 'email', 'электронн', 'ईमेल', 'ইমেইল', 'ইমেল', 'البريد', 'ایمیل', 'ηλεκτρονικ', 'மின்னஞ்சல்', 'ઈમેલ', '~メール', '~邮件', '~郵件', '~邮箱', '~이메일', '~อีเมล'],
  birthday: ['cumpleaños', 'anniversaire', 'compleanno', 'aniversário', 'geburtstag', 'verjaardag', 'doğum', 'ulang tahun', 'день рождения', 'जन्मदिन', 'जन्म तिथि', 'জন্মদিন', 'জন্ম তারিখ', 'عيد ميلاد', 'تاريخ الميلاد', 'تولد', 'γενέθλια', 'பிறந்த', 'જન્મદિવસ', 'سالگرہ', '~誕生日', '~生日', '~생일', '~วันเกิด'],
  reveal: ['revela', 'révèle', 'révélez', 'rivela', 'revele', 'verrat', 'onthul', 'açıkla', 'ungkapkan', 'раскро', 'открой', 'प्रकट', 'ফাঁস', 'প্রকাশ', 'اكشف', 'فاش', 'αποκάλυψ', 'வெளிப்படுத்து', 'જાહેર', '~明かし', '~透露', '~泄露', '~공개', '~เปิดเผย'],
  database: ['datenbank', 'base de dat', 'base de donn', 'database', 'banco de dados', 'veritaban', 'basis data', 'база данн', 'डेटाबेस', 'ডাটাবেস', 'قاعدة البيانات', 'پایگاه داده', 'βάση δεδομέν', '~データベース', '~数据库', '~데이터베이스', '~ฐานข้อมูล'],
};

const canon = (entry: string): string => normalizeText(entry).text.toLowerCase();

/** Single-word stems by exact prefix, multi-word stems and unspaced substrings by `includes`. */
const STEMS = new Map<string, string>();
const PHRASES: { text: string; gloss: string; ascii: boolean }[] = [];
for (const [gloss, entries] of Object.entries(LEXICON)) {
  for (const entry of entries) {
    const unspaced = entry.startsWith('~');
    const text = canon(unspaced ? entry.slice(1) : entry);
    if (unspaced || text.includes(' ')) PHRASES.push({ text, gloss, ascii: /^[\x00-\x7f]*$/.test(text) });
    else STEMS.set(text, gloss);
  }
}

/** The phrases an ASCII text can hold (the ASCII ones), in PHRASES order. */
const ASCII_PHRASES = PHRASES.filter((phrase) => phrase.ascii);

/**
 * The stems as a trie over code units (edge key: node * 65536 + code), so a word's longest stem
 * prefix is found by walking its codes once instead of looking up every prefix string. Only
 * depths >= 3 count, as before (shorter stems never matched).
 */
const EDGES = new Map<number, number>();
const NODE_GLOSS: (string | undefined)[] = [undefined];
for (const [stem, gloss] of STEMS) {
  let node = 0;
  for (let i = 0; i < stem.length; i++) {
    const key = node * 65536 + stem.charCodeAt(i);
    let child = EDGES.get(key);
    if (child === undefined) {
      child = NODE_GLOSS.length;
      NODE_GLOSS.push(undefined);
      EDGES.set(key, child);
    }
    node = child;
  }
  NODE_GLOSS[node] = gloss;
}

/**
 * EDGES again as an open-addressing table in typed arrays (slot -> parent node, code, child), for
 * the walk: English words that share a stem's first three codes ("con", "ins", "sec") walk it, and a
 * Map lookup per code was most of glossLine's own time.
 */
const EDGE_BITS = Math.max(4, Math.ceil(Math.log2(EDGES.size * 4)));
const EDGE_MASK = (1 << EDGE_BITS) - 1;
const edgeParent = new Int32Array(1 << EDGE_BITS).fill(-1);
const edgeCode = new Uint16Array(1 << EDGE_BITS);
const edgeChild = new Int32Array(1 << EDGE_BITS);
const edgeSlot = (node: number, code: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca77)) >>> (32 - EDGE_BITS);
for (const [key, child] of EDGES) {
  const node = Math.floor(key / 65536);
  const code = key % 65536;
  let slot = edgeSlot(node, code);
  while (edgeParent[slot] !== -1) slot = (slot + 1) & EDGE_MASK;
  edgeParent[slot] = node;
  edgeCode[slot] = code;
  edgeChild[slot] = child;
}

/** The child of `node` along `code`, or -1. */
function childOf(node: number, code: number): number {
  for (let slot = edgeSlot(node, code); ; slot = (slot + 1) & EDGE_MASK) {
    const parent = edgeParent[slot]!;
    if (parent === -1) return -1;
    if (parent === node && edgeCode[slot] === code) return edgeChild[slot]!;
  }
}

/**
 * A filter on a word's first three codes: a word can only start with a stem (3 codes or longer)
 * when its bit is set here, so most words skip the trie (false positives just walk it).
 */
const STEM_HEADS = new Uint8Array(1 << 16);
const headKey = (a: number, b: number, c: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ c) >>> 16;
for (const stem of STEMS.keys()) if (stem.length >= 3) STEM_HEADS[headKey(stem.charCodeAt(0), stem.charCodeAt(1), stem.charCodeAt(2))] = 1;

/** The gloss of the longest stem (3+ codes) that `codes[start, end)` starts with, if any. */
function stemGloss(codes: Uint16Array, start: number, end: number): string | undefined {
  let node = 0;
  let best: string | undefined;
  for (let j = start; j < end; j++) {
    const child = childOf(node, codes[j]!);
    if (child < 0) break;
    node = child;
    if (j - start >= 2 && NODE_GLOSS[node] !== undefined) best = NODE_GLOSS[node];
  }
  return best;
}

/** How much of a text is read for glosses. */
const LIMIT = 4096;

/**
 * The English glosses of `text`'s foreign concept words, in order of first appearance, or '' when
 * there are none. English words with a listed stem ("ignored", "secret") gloss too, the same in
 * training and at inference.
 */
export function glossLine(text: string): string {
  const head = text.length > LIMIT ? text.slice(0, LIMIT) : text;
  const lowered = head.toLowerCase();
  const found: { at: number; gloss: string }[] = [];
  const { count, codes, starts, ascii } = scanLoweredWords(lowered);
  for (let w = 0; w < count; w++) {
    const start = starts[w]!;
    const end = starts[w + 1]! - 1;
    if (end - start < 3 || STEM_HEADS[headKey(codes[start]!, codes[start + 1]!, codes[start + 2]!)] === 0) continue;
    const gloss = stemGloss(codes, start, end);
    if (gloss !== undefined) found.push({ at: w + 1, gloss });
  }
  // Substring entries: a plain indexOf each (a first-char prefilter measured slower than the searches it saves),
  // except that an ASCII text cannot hold a non-ASCII entry (most of them), which is not searched for.
  for (const phrase of ascii ? ASCII_PHRASES : PHRASES) {
    const at = lowered.indexOf(phrase.text);
    if (at >= 0) found.push({ at: at / 8, gloss: phrase.gloss });
  }
  if (found.length === 0) return '';
  found.sort((a, b) => a.at - b.at);
  return found.map((hit) => hit.gloss).join(' ');
}

/** `text` with its gloss line appended (unchanged when nothing glosses). */
export function withGloss(text: string): string {
  const gloss = glossLine(text);
  return gloss === '' ? text : `${text}\n${gloss}`;
}
