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
 * Linear: one pass over the lowered text splits its words (as the featurizer does, leetspeak
 * folded) and finds the substring entries, a word walks the stem trie only when its first three
 * codes start some stem, and only the first 4 KB of a text are read.
 */
import { codeUnitsOf } from '../../text/code-units.ts';
import { normalizeText } from '../../text/normalize-text.ts';

/** Bump when the lexicon changes: the direct model was trained on these glosses (recorded in its `hyper`). */
export const GLOSS_VERSION = '2026.11.4';

/** English pivot -> stems (word prefixes, spaced scripts) and `~substrings` (unspaced scripts and Korean). */
const LEXICON: Record<string, readonly string[]> = {
  ignore: ['ignor', 'negeer', 'negeren', 'abaikan', 'yoksay', 'görmezden', 'игнорир', 'проигнорир', 'अनदेखा', 'उपेक्षा', 'উপেক্ষা', 'অগ্রাহ্য', 'تجاهل', 'نادیده', 'αγνόησ', 'αγνόη', 'நிராகரி', 'અવગણ', 'نظرانداز', '~無視', '~忽略', '~忽视', '~无视', '~무시', '~เพิกเฉย', '~ไม่สนใจ', '~ละเว้น', 'zignoruj', 'pomiń', 'ігнору', 'проігнору', 'figyelmen kívül', 'balewalain', 'huwag pansinin', 'ipagwalang-bahala', 'puuza', '~bỏ qua', '~phớt lờ', '~lờ đi', '~התעלם'],
  forget: ['olvid', 'oubli', 'dimentic', 'esqueç', 'esquec', 'vergiss', 'vergess', 'vergeet', 'unut', 'lupakan', 'забуд', 'забыть', 'भूलो', '~भूल जा', '~ভুলে যা', 'ভুলুন', 'انسَ', 'انسى', 'فراموش', 'ξέχασ', 'மறந்து', 'ભૂલી', '~忘れ', '~忘记', '~忘掉', '~忘記', '~잊어', '~잊으', '~ลืม', 'zapomnij', 'zapomeň', 'zapomen', 'felejtsd', 'felejts', 'uită', 'uitați', 'uitaţi', 'glöm', 'kalimutan', 'sahau', '~quên', '~שכח'],
  // First-person past tense ("Olvidé la contraseña", "Esqueci a senha"): the speaker's own forgotten
  // password or date, glossed as the English a user writes. Each form is longer than its language's
  // "forget" stem (olvid, esquec, oubli, unut, ξέχασ, glöm), so the longest stem wins.
  'i forgot my': ['olvidé', 'olvide', 'olvidó', 'esqueci', 'oublié', 'dimenticat', 'scordat', 'unuttum', 'unutmuşum', 'ξέχασα', 'забыл', 'забув', 'забула', 'zapomniał', 'zapomněl', 'elfelejtettem', 'uitat', 'glömde', 'glömt', 'vergeten', 'vergat', 'lupa', 'terlupa', 'nakalimutan', 'nimesahau', 'nilisahau', 'نسيت', '~भूल ग', '~ভুলে গে', '~忘れてしまい', '~忘れてしまっ', '~忘れました', '~忘れちゃ', '~忘れた', '~忘记了', '~잊어버렸', '~잊어먹었', '~잊었', '~ลืมรหัส', '~ลืมไปแล้ว', '~quên mất', '~שכחתי'],
  previous: ['anterior', 'previa', 'previo', 'précédent', 'precedent', 'preceden', 'vorherig', 'bisherig', 'vorige', 'önceki', 'sebelumnya', 'предыдущ', 'прежн', 'पिछल', 'पूर्व', 'আগের', 'পূর্ববর্তী', 'السابق', 'قبلی', 'προηγούμεν', 'முந்தைய', 'અગાઉ', 'پچھل', '~以前の', '~前の指示', '~之前', '~先前', '~이전', '~ก่อนหน้า', 'poprzedni', 'anterioar', 'wcześniejsz', 'попередн', 'předchozí', 'dřívější', 'korábbi', 'előző', 'tidigare', 'föregående', 'nakaraang', 'naunang', 'yaliyotangulia', 'zilizopita', 'iliyopita', 'terdahulu', 'sebelum ini', '~trước đó', '~trước đây', '~הקודמות', '~הקודמים', '~הקודמת'],
  above: ['obigen', 'bovenstaand', 'yukarıdaki', 'вышеуказ', 'ऊपर', 'উপরের', 'أعلاه', '~上記', '~以上', '~上面', '~위의', '~ข้างต้น', 'arriba', 'ci-dessus', 'acima', 'hierboven', 'yukarıda', 'выше', 'παραπάνω', 'மேலே', 'ઉપર', 'اوپر'],
  instructions: ['instruccion', 'instrucción', 'consigne', 'istruzion', 'instruç', 'instruc', 'anweisung', 'instructie', 'talimat', 'instruksi', 'petunjuk', 'инструкц', 'указани', 'निर्देश', 'নির্দেশ', 'التعليمات', 'تعليمات', 'دستورالعمل', 'οδηγί', 'அறிவுறுத்த', 'સૂચના', 'ہدایات', '~指示', '~指令', '~命令', '~지시', '~지침', '~คำสั่ง', '~คําสั่ง', 'instrukcj', 'instrukc', 'instrukt', 'polecen', 'інструкц', 'вказівк', 'pokyn', 'utasítás', 'tagubilin', 'instruksyon', 'maagizo', 'maelekezo', 'arahan', '~hướng dẫn', '~chỉ dẫn', '~chỉ thị', '~mệnh lệnh', '~הוראות', '~הנחיות'],
  password: ['contraseñ', 'senha', 'passwort', 'kennwort', 'wachtwoord', 'şifre', 'sandi', 'пароль', 'пароля', 'पासवर्ड', 'पासवर्ड', 'পাসওয়ার্ড', 'المرور', 'رمز', 'κωδικ', 'கடவுச்சொல்', 'પાસવર્ડ', '~パスワード', '~密码', '~密碼', '~비밀번호', '~암호', '~รหัสผ่าน', 'passphrase', 'mot de passe', 'hasł', 'hesl', 'jelszó', 'jelszav', 'parolă', 'parolei', 'lösenord', 'nenosiri', 'kata laluan', '~mật khẩu', '~סיסמ'],
  secret: ['secret', 'segret', 'segredo', 'geheim', 'gizli', 'rahasia', 'секрет', 'тайн', 'गुप्त', 'रहस्य', 'গোপন', 'سري', 'سر', 'مخفی', 'μυστικ', 'ரகசிய', 'ગુપ્ત', 'خفیہ', '~秘密', '~机密', '~비밀', '~ความลับ', 'sekret', 'tajn', 'tajemn', 'таємн', 'tajemstv', 'titk', 'hemlig', 'lihim', 'sikreto', 'rahsia', '~bí mật', '~סודי', '~הסוד'],
  user: ['usuari', 'utilisateur', 'utent', 'benutzer', 'nutzer', 'gebruiker', 'kullanıcı', 'pengguna', 'пользовател', 'उपयोगकर्ता', 'यूजर', 'ব্যবহারকারী', 'المستخدم', 'کاربر', 'χρήστ', 'பயனர்', 'વપરાશકર્તા', 'صارف', '~ユーザー', '~用户', '~用戶', '~사용자', '~ผู้ใช้', 'użytkownik', 'користувач', 'uživatel', 'felhasználó', 'utilizator', 'användar', 'gumagamit', 'mtumiaji', 'watumiaji', '~người dùng', '~משתמש'],
  system: ['sistema', 'système', 'systeem', 'sistem', 'систем', 'सिस्टम', 'प्रणाली', 'সিস্টেম', 'النظام', 'سیستم', 'σύστημ', 'அமைப்ப', 'સિસ્ટમ', '~システム', '~系统', '~系統', '~시스템', '~ระบบ', 'systemow', 'rendszer', 'mfumo', '~hệ thống', '~מערכת'],
  pretend: ['imagin', 'finge', 'fingi', 'fais semblant', 'faites semblant', 'stell dir vor', 'stellen sie sich vor', 'stel je voor', 'doe alsof', 'hayal et', 'bayangkan', 'berpura', 'представ', 'притвор', 'कल्पना', 'কল্পনা', 'تخيل', 'فرض کن', 'φαντάσ', 'கற்பனை', 'કલ્પના', '~想像', '~想象', '~假装', '~상상', '~척', '~จินตนาการ', '~แกล้ง', 'udawaj', 'wyobraź', 'уяви', 'вдавай', 'прикинься', 'předstírej', 'představ si', 'tegyél úgy', 'tégy úgy', 'képzeld', 'prefă-te', 'låtsas', 'föreställ', 'magpanggap', 'kunwari', 'jifanye', '~giả vờ', '~hãy tưởng tượng', '~đóng vai', '~העמד פנים', '~תעמיד פנים', '~דמיין'],
  email: ['correo', 'courriel', 'e-mail', 'email', 'электронн', 'ईमेल', 'ইমেইল', 'ইমেল', 'البريد', 'ایمیل', 'ηλεκτρονικ', 'மின்னஞ்சல்', 'ઈમેલ', '~メール', '~邮件', '~郵件', '~邮箱', '~이메일', '~อีเมล'],
  birthday: ['cumpleaños', 'anniversaire', 'compleanno', 'aniversário', 'geburtstag', 'verjaardag', 'doğum', 'ulang tahun', 'день рождения', 'जन्मदिन', 'जन्म तिथि', 'জন্মদিন', 'জন্ম তারিখ', 'عيد ميلاد', 'تاريخ الميلاد', 'تولد', 'γενέθλια', 'பிறந்த', 'જન્મદિવસ', 'سالگرہ', '~誕生日', '~生日', '~생일', '~วันเกิด'],
  reveal: ['revela', 'révèle', 'révélez', 'rivela', 'revele', 'verrat', 'onthul', 'açıkla', 'ungkapkan', 'раскро', 'открой', 'प्रकट', 'ফাঁস', 'প্রকাশ', 'اكشف', 'فاش', 'αποκάλυψ', 'வெளிப்படுத்து', 'જાહેર', '~明かし', '~透露', '~泄露', '~공개', '~เปิดเผย', 'ujawnij', 'zdradź', 'розкрий', 'prozraď', 'odhal', 'fedd fel', 'dezvăluie', 'avslöja', 'ibunyag', 'isiwalat', 'fichua', 'dedahkan', '~tiết lộ', '~חשוף'],
  database: ['datenbank', 'base de dat', 'base de donn', 'database', 'banco de dados', 'veritaban', 'basis data', 'база данн', 'डेटाबेस', 'ডাটাবেস', 'قاعدة البيانات', 'پایگاه داده', 'βάση δεδομέν', '~データベース', '~数据库', '~데이터베이스', '~ฐานข้อมูล'],
  restrictions: ['ограничен', 'обмежен', 'restriccion', 'restricción', 'restriç', 'restrizion', 'einschränkung', 'beperking', 'batasan', 'pembatasan', 'limitasyon', 'kısıtlama', 'sınırlama', 'ograniczeń', 'ograniczen', 'omezení', 'korlátoz', 'restricți', 'restricţi', 'begränsning', 'vikwazo', 'περιορισμ', 'प्रतिबंध', 'پابندی', 'قيود', 'محدودیت', '~限制', '~制限', '~제한', '~giới hạn', '~הגבלות', '~ข้อจำกัด', '~ขีดจำกัด'],
  filters: ['фильтр', 'фільтр', 'filtro', 'filtre', 'filtr', 'szűrő', 'فلتر', 'فلاتر', 'فیلتر', 'φίλτρ', 'फ़िल्टर', 'फिल्टर', '~过滤', '~過濾', '~フィルター', '~필터', '~bộ lọc', '~ตัวกรอง', '~מסנן', '~פילטר'],
  refuse: ['отказыва', 'откажи', 'відмовля', 'відмов', 'rechaz', 'recus', 'rifiut', 'verweiger', 'weiger', 'menolak', 'tumanggi', 'tatanggi', 'reddet', 'odmawia', 'odmów', 'odmít', 'elutasít', 'refuz', 'vägra', 'αρνη', 'इनकार', 'انکار', 'ترفض', 'رفض', '~拒绝', '~拒絕', '~断ら', '~断る', '~拒否', '~거절', '~거부', '~từ chối', '~ปฏิเสธ', '~לסרב', '~תסרב', '~מסרב'],
  warnings: ['предупрежд', 'попереджен', 'advertencia', 'aviso', 'avertissement', 'avvertiment', 'warnung', 'waarschuwing', 'peringatan', 'babala', 'uyarı', 'ostrzeże', 'varování', 'figyelmeztet', 'avertisment', 'varning', 'onyo', 'προειδοποίησ', 'चेतावनी', 'تحذير', 'هشدار', 'انتباہ', '~警告', '~경고', '~cảnh báo', '~คำเตือน', '~אזהר', '~免责声明', '~免責'],
  prompt: ['промпт', 'промт', 'پرامپت', '~提示词', '~提示詞', '~プロンプト', '~프롬프트'],
  developer: ['разработчик', 'розробник', 'desarrollador', 'desenvolvedor', 'développeur', 'sviluppator', 'entwickler', 'ontwikkelaar', 'pengembang', 'geliştirici', 'deweloper', 'programist', 'vývojář', 'fejlesztő', 'dezvoltator', 'utvecklare', 'msanidi', 'προγραμματιστ', 'डेवलपर', 'المطور', 'المطوّر', 'المطورين', '~开发者', '~開發者', '~开发人员', '~開発者', '~개발자', '~nhà phát triển', '~นักพัฒนา'],
  administrator: ['администратор', 'адміністратор', 'administrador', 'administrateur', 'amministrator', 'beheerder', 'yönetici', 'správce', 'rendszergazda', 'administratör', 'msimamizi', 'διαχειριστ', 'व्यवस्थापक', 'المسؤول', '~管理员', '~管理員', '~管理者', '~관리자', '~quản trị', '~ผู้ดูแลระบบ', '~מנהל'],
  safety: ['безопасност', 'безпек', 'seguridad', 'segurança', 'sécurité', 'sicurezza', 'sicherheit', 'veiligheid', 'keamanan', 'keselamatan', 'güvenlik', 'bezpieczeń', 'bezpečnost', 'biztonság', 'securitate', 'säkerhet', 'usalama', 'ασφάλει', 'सुरक्षा', 'الأمان', 'الأمن', 'امنیت', 'ایمنی', 'kaligtasan', '~安全', '~안전', '~보안', '~an toàn', '~bảo mật', '~ความปลอดภัย', '~אבטחה', '~בטיחות'],
  disabled: ['отключ', 'выключ', 'вимкн', 'desactivad', 'desativad', 'désactiv', 'disattivat', 'deaktivier', 'uitgeschakeld', 'dinonaktifkan', 'nonaktif', 'devre dışı', 'wyłączon', 'vypnut', 'kikapcsol', 'dezactivat', 'avaktiver', 'imezimwa', 'απενεργοποι', 'अक्षम', 'تعطيل', 'معطل', 'غیرفعال', '~禁用', '~已关闭', '~無効', '~비활성', '~vô hiệu', '~ปิดใช้งาน', '~מושבת', '~הושבת'],
};

/**
 * An entry as it reads in lowered canonical text, lowercase as written and capitalised: the text is
 * folded before it is lowered, and a capital can fold differently from its small letter (Cyrillic
 * `п` folds to Latin `n`, `П` stays), so a sentence-initial "Проігноруй" lowers to a different string.
 */
const canonForms = (entry: string): string[] => {
  const lower = normalizeText(entry).text.toLowerCase();
  const capital = normalizeText(entry.charAt(0).toUpperCase() + entry.slice(1)).text.toLowerCase();
  return capital === lower ? [lower] : [lower, capital];
};

/** Single-word stems by exact prefix, multi-word stems and unspaced substrings by `includes`. */
const STEMS = new Map<string, string>();
const PHRASES: { text: string; gloss: string }[] = [];
for (const [gloss, entries] of Object.entries(LEXICON)) {
  for (const entry of entries) {
    const unspaced = entry.startsWith('~');
    for (const text of canonForms(unspaced ? entry.slice(1) : entry)) {
      if (unspaced || text.includes(' ')) PHRASES.push({ text, gloss });
      else STEMS.set(text, gloss);
    }
  }
}

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
 * when its bit is set here, so most words skip the trie (false positives just walk it). Three
 * ASCII letters index `ASCII_HEADS` directly; other heads go through a hash.
 */
const STEM_HEADS = new Uint8Array(1 << 16);
/** Every code is multiplied before the high bits are kept: a code xor-ed in as it is would only touch the low bits. */
const headKey = (a: number, b: number, c: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 16;
/** 1-26 for a-z, 0 for any other code: three letters index `ASCII_HEADS` (5 bits each). */
const LETTER_INDEX = new Uint8Array(0x10000);
for (let code = 97; code <= 122; code++) LETTER_INDEX[code] = code - 96;
const ASCII_HEADS = new Uint8Array(1 << 15);
const asciiHead = (a: number, b: number, c: number): number => (LETTER_INDEX[a]! << 10) | (LETTER_INDEX[b]! << 5) | LETTER_INDEX[c]!;
const allLetters = (a: number, b: number, c: number): boolean => LETTER_INDEX[a]! * LETTER_INDEX[b]! * LETTER_INDEX[c]! !== 0;
for (const stem of STEMS.keys()) {
  if (stem.length < 3) continue;
  const [a, b, c] = [stem.charCodeAt(0), stem.charCodeAt(1), stem.charCodeAt(2)];
  if (allLetters(a, b, c)) ASCII_HEADS[asciiHead(a, b, c)] = 1;
  else STEM_HEADS[headKey(a, b, c)] = 1;
}

function mayStartStem(a: number, b: number, c: number): boolean {
  // Most words are three letters a-z that start no stem: one lookup.
  if (ASCII_HEADS[asciiHead(a, b, c)] === 1) return true;
  return !allLetters(a, b, c) && STEM_HEADS[headKey(a, b, c)] === 1;
}

/**
 * Word characters as the featurizer reads them (features.ts `scanLoweredWords`, which the direct
 * model was trained with): ASCII letters and digits, the leet symbols `@ $`, and every unit above
 * ASCII except ideographic space and U+2000-206F. A word that holds both a letter (ASCII
 * lower-case or above ASCII) and a leet character (`0 1 3 4 5 7 @ $`) reads with them folded.
 */
const WORD = 1;
const LETTER = 2;
const LEETCHAR = 4;
const WORD_CLASS = new Uint8Array(0x10000);
/** Leetspeak digits and symbols as the letters they imitate (0 -> o, 1 -> i, 3 -> e, 4/@ -> a, 5/$ -> s, 7 -> t). */
const LEET = new Uint16Array(128);
{
  WORD_CLASS.fill(WORD, 48, 58);
  WORD_CLASS.fill(WORD, 65, 91);
  WORD_CLASS.fill(WORD | LETTER, 97, 123);
  WORD_CLASS.fill(WORD | LETTER, 128);
  WORD_CLASS.fill(0, 0x2000, 0x2070);
  WORD_CLASS[0x3000] = 0;
  const leet: [number, number][] = [[48, 111], [49, 105], [51, 101], [52, 97], [53, 115], [55, 116], [64, 97], [36, 115]];
  for (const [from, to] of leet) {
    WORD_CLASS[from] = WORD | LEETCHAR;
    LEET[from] = to;
  }
}

/** `code`, leet-folded when `fold`. */
function folded(code: number, fold: boolean): number {
  return fold && code < 128 && LEET[code] !== 0 ? LEET[code]! : code;
}

/** The gloss of the longest stem (3+ codes) that the word `lowered[start, end)` (leet-folded when `fold`) starts with, if any. */
function stemGloss(lowered: string, start: number, end: number, fold: boolean): string | undefined {
  const first = lowered.charCodeAt(start);
  const second = lowered.charCodeAt(start + 1);
  const third = lowered.charCodeAt(start + 2);
  if (fold ? !mayStartStem(folded(first, true), folded(second, true), folded(third, true)) : !mayStartStem(first, second, third)) return undefined;
  let node = 0;
  let best: string | undefined;
  for (let j = start; j < end; j++) {
    const child = childOf(node, folded(lowered.charCodeAt(j), fold));
    if (child < 0) break;
    node = child;
    if (j - start >= 2 && NODE_GLOSS[node] !== undefined) best = NODE_GLOSS[node];
  }
  return best;
}

/**
 * Substring entries by their first codes: `PAIR_SEEN` filters on a hash of the first two (PAIR_ENTRY:
 * a two-code entry has them; LONGER_ENTRY: a longer one does, and `TRIPLE_SEEN` then filters on a
 * hash of its first three), so nearly every position costs one lookup; exact lists per first pair,
 * checked with `startsWith`. One-code entries (all above ASCII) are searched with `indexOf`, only
 * in texts above ASCII.
 */
const PAIR_ENTRY = 1;
const LONGER_ENTRY = 2;
const pairKey = (first: number, second: number): number => ((first << 7) ^ second) & 0xffff;
/** The same hash as headKey (its third code counts: common English pairs such as "ha" or "st" no longer reach the entries). */
const tripleKey = (first: number, second: number, third: number): number => headKey(first, second, third);
const PAIR_SEEN = new Uint8Array(0x10000);
const TRIPLE_SEEN = new Uint8Array(0x10000);
const PHRASES_BY_PAIR = new Map<number, number[]>();
const ONE_CODE_PHRASES: number[] = [];
PHRASES.forEach((phrase, id) => {
  const text = phrase.text;
  const first = text.charCodeAt(0);
  if (text.length === 1) {
    if (first < 128) throw new Error(`gloss: a one-code entry must be above ASCII (${text})`);
    ONE_CODE_PHRASES.push(id);
    return;
  }
  const second = text.charCodeAt(1);
  PAIR_SEEN[pairKey(first, second)]! |= text.length === 2 ? PAIR_ENTRY : LONGER_ENTRY;
  if (text.length > 2) TRIPLE_SEEN[tripleKey(first, second, text.charCodeAt(2))] = 1;
  const key = (first << 16) | second;
  PHRASES_BY_PAIR.set(key, [...(PHRASES_BY_PAIR.get(key) ?? []), id]);
});
// Longest first (stably), for matchPhrases.
for (const ids of PHRASES_BY_PAIR.values()) ids.sort((a, b) => PHRASES[b]!.text.length - PHRASES[a]!.text.length);

/** First occurrence of each substring entry in the current text: `phraseAt[id]` when `phraseStamp[id] === stamp`. */
const phraseAt = new Int32Array(PHRASES.length);
const phraseStamp = new Int32Array(PHRASES.length);
let stamp = 0;

/**
 * Records the longest entry of `candidates` (sorted longest first) that occurs at `at`, when it was
 * not seen before; returns 1 then, else 0. Only the longest counts at a position, as with stems:
 * "忘れてしまいました" (I forgot) reads as its own entry, not also as "忘れ" (forget).
 */
function matchPhrases(lowered: string, at: number, candidates: readonly number[]): number {
  for (const id of candidates) {
    if (!lowered.startsWith(PHRASES[id]!.text, at)) continue;
    if (phraseStamp[id] === stamp) return 0;
    phraseStamp[id] = stamp;
    phraseAt[id] = at;
    return 1;
  }
  return 0;
}

/** Substring entries starting at `at`, whose first two codes `first, second` passed `PAIR_SEEN` (`seen`); returns how many new. */
function matchPairAt(lowered: string, at: number, first: number, second: number, seen: number): number {
  if ((seen & PAIR_ENTRY) === 0 && (at + 2 >= lowered.length || TRIPLE_SEEN[tripleKey(first, second, lowered.charCodeAt(at + 2))] === 0)) return 0;
  const candidates = PHRASES_BY_PAIR.get((first << 16) | second);
  return candidates === undefined ? 0 : matchPhrases(lowered, at, candidates);
}

/**
 * The glosses found in the current text and the key each sorts by (`hitAt[k]`, `hitGloss[k]` for k
 * below `hits`), eight times the order described at `glossLine` so that every key is an integer:
 * 8 (w + 1) for a stem in word w, the offset for a substring entry.
 */
let hitAt = new Int32Array(64);
const hitGloss: string[] = [];
let hits = 0;

function addHit(at: number, gloss: string): void {
  if (hits === hitAt.length) {
    const grown = new Int32Array(hitAt.length * 2);
    grown.set(hitAt);
    hitAt = grown;
  }
  hitAt[hits] = at;
  hitGloss[hits++] = gloss;
}

/** A word `lowered[start, end)` ended (it is word number `at`): records its stem's gloss. */
function endWord(lowered: string, start: number, end: number, kinds: number, at: number): void {
  if (end - start < 3) return;
  const gloss = stemGloss(lowered, start, end, (kinds & (LETTER | LEETCHAR)) === (LETTER | LEETCHAR));
  if (gloss !== undefined) addHit(8 * at, gloss);
}

/** How much of a text is read for glosses. */
const LIMIT = 4096;

/**
 * The English glosses of `text`'s foreign concept words, in order of first appearance, or '' when
 * there are none. English words with a listed stem ("ignored", "secret") gloss too, the same in
 * training and at inference. Order: a stem found in word w sorts at w + 1 and a substring entry
 * first found at offset o at o / 8 (stably, stems first, then entries in lexicon order).
 */
export function glossLine(text: string): string {
  const head = text.length > LIMIT ? text.slice(0, LIMIT) : text;
  const lowered = head.toLowerCase();
  const length = lowered.length;
  if (stamp === 0x7ffffffe) {
    phraseStamp.fill(0);
    stamp = 0;
  }
  stamp++;
  hits = 0;
  let phrases = 0;
  let words = 0;
  let wordStart = -1;
  let kinds = 0;
  let previous = 0;
  let high = 0;
  // Locals: module-level bindings are re-read, with an initialisation check, at every use in optimised
  // code. The codes are read from a typed-array copy (codeUnitsOf), cheaper to index than the string;
  // nothing below makes another copy.
  const pairSeen = PAIR_SEEN;
  const wordClass = WORD_CLASS;
  const codes = codeUnitsOf(lowered);
  for (let i = 0; i < length; i++) {
    const code = codes[i]!;
    high |= code;
    const seen = pairSeen[((previous << 7) ^ code) & 0xffff]!; // pairKey(previous, code)
    if (seen !== 0 && i > 0) phrases += matchPairAt(lowered, i - 1, previous, code, seen);
    previous = code;
    const kind = wordClass[code]!;
    if ((kind & WORD) !== 0) {
      if (wordStart < 0) {
        wordStart = i;
        kinds = 0;
      }
      kinds |= kind;
    } else if (wordStart >= 0) {
      endWord(lowered, wordStart, i, kinds, ++words);
      wordStart = -1;
    }
  }
  if (wordStart >= 0) endWord(lowered, wordStart, length, kinds, ++words);
  if (high >= 128) {
    for (const id of ONE_CODE_PHRASES) {
      const at = lowered.indexOf(PHRASES[id]!.text);
      if (at < 0) continue;
      phraseStamp[id] = stamp;
      phraseAt[id] = at;
      phrases++;
    }
  }
  return hits === 0 && phrases === 0 ? '' : joinedHits(phrases);
}

/**
 * The gloss line from the stems recorded in `hitAt`/`hitGloss` and the `phrases` substring entries
 * stamped for this text (kept out of `glossLine`'s loop: most texts never get here).
 */
function joinedHits(phrases: number): string {
  for (let id = 0; id < PHRASES.length && phrases > 0; id++) {
    if (phraseStamp[id] !== stamp) continue;
    addHit(phraseAt[id]!, PHRASES[id]!.gloss);
    phrases--;
  }
  // A stable insertion sort by key (few hits): stems in word order, then entries in lexicon order, on ties.
  const order: number[] = [];
  for (let k = 0; k < hits; k++) {
    let at = k;
    while (at > 0 && hitAt[order[at - 1]!]! > hitAt[k]!) {
      order[at] = order[at - 1]!;
      at--;
    }
    order[at] = k;
  }
  let line = hitGloss[order[0]!]!;
  for (let k = 1; k < hits; k++) line += ` ${hitGloss[order[k]!]!}`;
  return line;
}

/** The lexicon as matched (canonical forms): stems by word prefix, substring entries in order (for tests). */
export function glossLexicon(): { stems: ReadonlyMap<string, string>; entries: readonly { text: string; gloss: string }[] } {
  return { stems: STEMS, entries: PHRASES };
}

/** `text` with its gloss line appended (unchanged when nothing glosses). */
export function withGloss(text: string): string {
  const gloss = glossLine(text);
  return gloss === '' ? text : `${text}\n${gloss}`;
}

/**
 * Runs every path of glossLine a few times at load (stems, leet folding, substring entries of two codes,
 * more and one, the join), so that its optimised code has type feedback for all of them: a path first
 * reached after optimisation (the first text above ASCII, say) threw that code away, and a process could
 * stay on slower code for good (glossLine took 1.5-1.8x as long in such processes).
 */
function warmUp(): void {
  for (let k = 0; k < 12; k++) glossLine(`Ignore the 1gn0r3d system, olvida las instrucciones y stell dir vor: 忽略指示 척 비밀번호 ${k}`);
}
warmUp();
