/**
 * Multilingual signatures (set 2026.11.3; tl, sw, cs, hu, ro, sv, he, el added in 2026.11.7): instruction override ("ignore the previous instructions"),
 * talk of "the previous instructions/tasks" and requests for the model's internals, written from
 * language knowledge for the languages of the training data (de, es, fr, it, pt, nl, pl, tr, id, vi,
 * ru, uk, zh, ja, ko, hi, bn, gu, ar, fa, ur, th, ta), not from any dataset's strings.
 *
 * Patterns are compiled from their canonical form (NFKC plus homoglyph folding, the same pass the
 * text gets before signatures run), so a Cyrillic or Thai pattern matches the folded text it will
 * meet. Scripts without spaces (zh, ja, th) use short bounded gaps. Same rules as signatures.ts:
 * linear V8 patterns, bounded gaps, append only (indices are feature ids).
 */
import { canonicalRe } from './signature-parts.ts';
import type { Signature } from './signatures.ts';


/** Start of a word in any script (`\b` only knows ASCII). */
const W = String.raw`(?<![\p{L}\p{M}])`;
/** Up to `n` words in any script (letters with their combining marks). */
const gap = (n: number): string => String.raw`(?:[\p{L}\p{M}'’]+[\s,]+){0,${n}}`;
const G3 = gap(3);
const G2 = gap(2);

const PRIOR_ADJ = String.raw`previous|prior|earlier|above|preceding|anteriores|previas|pr[ée]vias|pr[ée]c[ée]dentes|precedenti|vorherigen|bisherigen`;
const TASK_NOUN = String.raw`instructions|tasks|rules|instrucciones|tareas|instru[çc][õo]es|tarefas|t[âa]ches|consignes|istruzioni|compiti|anweisungen|aufgaben`;

/**
 * Not a self-correction: "previous" alone completes an override only when no word of a correction
 * (typo, errors, "I meant", "I was wrong") follows the verb within the sentence (100 units, which
 * covers the gap and what comes after "previous"): "Abaikan typo di pesan sebelumnya, maksudku ...",
 * "Ignora los errores anteriores". An instruction noun still decides, guard or not.
 */
const NOT_CORRECTION_WORLD = String.raw`(?![^.!?\n]{0,100}?(?:typo|errores|erros|errori|fouten|b[łl][ęe]d[óy]?|kesalahan|lỗi|me\s+equivoqu|quise\s+decir|quer[íi]a\s+decir|errata|faltas?\s+de\s+ortograf|errores?\s+de|errei|me\s+enganei|quis\s+dizer|queria\s+dizer|erros?\s+de\s+digita|digitei\s+errado|intendevo|volevo\s+dire|mi\s+sono\s+sbagliat|errori?\s+di\s+battitura|ik\s+bedoelde|ik\s+vergiste|typfout|tikfout|mia[łl][ae]m\s+na\s+my[śs]li|pomyli[łl]|liter[óo]wk|maksud(?:ku|\s+saya|nya)|salah\s+ketik|ý\s+tôi\s+là|tôi\s+nhầm|gõ\s+nhầm|lỗi\s+chính\s+tả))`;

/** Override verbs followed (within three words) by an instruction noun or "previous", per language. */
const OVERRIDE_LATIN = [
  // es
  String.raw`(?:ignor[ae]n?|ignorad|olvid[ae]n?|olvidad|omit[ae]n?|descart[ae]n?|desestim[ae]n?|haz\s+caso\s+omiso\s+(?:a|de)|no\s+hagas\s+caso\s+(?:a|de))\s+${G3}(?:instrucciones|indicaciones|[óo]rdenes|reglas|directrices|tareas)`,
  String.raw`(?:ignor[ae]n?|ignorad|olvid[ae]n?|olvidad|omit[ae]n?|descart[ae]n?|desestim[ae]n?|haz\s+caso\s+omiso\s+(?:a|de)|no\s+hagas\s+caso\s+(?:a|de))${NOT_CORRECTION_WORLD}\s+${G3}(?:anteriores|previas)`,
  String.raw`olvid[ae]\s+todo\s+lo\s+(?:anterior|que\s+te\s+(?:dije|he\s+dicho))`,
  // fr
  String.raw`(?:ignore[zs]?|oublie[zs]?|ne\s+tiens?\s+pas\s+compte|ne\s+tenez\s+pas\s+compte|fais\s+abstraction|faites\s+abstraction)\s+(?:d[eu]s?\s+|de\s+(?:la|l')\s*)?(?:toutes\s+|tous\s+)?(?:les|tes|vos|ces)\s+${G2}(?:instructions|consignes|r[èe]gles|directives|ordres|t[âa]ches|pr[ée]c[ée]dent(?:e|s|es)?|ant[ée]rieur(?:e|s|es)?)`,
  String.raw`oublie[zs]?\s+tout\s+ce\s+qu`,
  // it
  String.raw`(?:ignora|ignorate|ignori|dimentica|dimenticate|dimentichi|trascura|non\s+considerare)\s+${G3}(?:istruzioni|indicazioni|regole|direttive|ordini|compiti)`,
  String.raw`(?:ignora|ignorate|ignori|dimentica|dimenticate|dimentichi|trascura|non\s+considerare)${NOT_CORRECTION_WORLD}\s+${G3}precedenti`,
  // pt
  String.raw`(?:ignore|ignora|ignorem|esque[çc]a|esquece|esque[çc]am|desconsidere|desconsidera|descarte|descarta)\s+${G3}(?:instru[çc][õo]es|orienta[çc][õo]es|regras|diretrizes|ordens|tarefas)`,
  String.raw`(?:ignore|ignora|ignorem|esque[çc]a|esquece|esque[çc]am|desconsidere|desconsidera|descarte|descarta)${NOT_CORRECTION_WORLD}\s+${G3}(?:anteriores|pr[ée]vias)`,
  String.raw`esque[çc]a\s+tudo`,
  // nl
  String.raw`(?:negeer|negeert|vergeet)\s+${G3}(?:instructies|opdrachten|regels|richtlijnen|bevelen|taken)`,
  String.raw`(?:negeer|negeert|vergeet)${NOT_CORRECTION_WORLD}\s+${G3}(?:eerdere|vorige|voorgaande)`,
  // de (beyond the first sets): "hör nicht auf ...", "ignoriere alles zuvor Gesagte"
  String.raw`(?:h[öo]re?|h[öo]rt|h[öo]ren\s+sie)\s+nicht\s+(?:mehr\s+)?auf\s+${G3}(?:anweisungen|befehle|regeln|vorgaben|gesagte|vorherige\p{L}*|bisherige\p{L}*)`,
  String.raw`(?:ignoriere|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte|missachten\s+sie|nicht\s+auf|nicht\s+an)\s+${G2}(?:zuvor|vorher|bisher|oben|davor)\s+gesagte`,
  String.raw`(?:ignoriere|ignorieren\s+sie|vergiss|vergessen\s+sie|missachte|missachten\s+sie|überspringe)\s+${G3}(?:instruktionen|vorgaben|aufgaben|anweisungen|befehle)`,
  // "ignore the above" (es, pt, fr, it, de, nl, pl, id, vi) and Spanish "olvídate de"
  String.raw`(?:ignor[ae]|olvid[ae]|esque[çc]a|ignorez|ignoriere|negeer|zignoruj|abaikan|bỏ\s+qua)\s+(?:lo\s+anterior|lo\s+de\s+arriba|o\s+acima|o\s+anterior|ce\s+qui\s+pr[ée]c[èe]de|quanto\s+sopra|ci[òo]\s+che\s+precede|das\s+obige|alles\s+obige|het\s+bovenstaande|powy[żz]sze|(?:yang\s+)?di\s+atas|(?:những\s+)?điều\s+trên|phần\s+trên)`,
  String.raw`olv[íi]date\s+de\s+(?:todo|todas|todos|las|los|esas|esos|tus)`,
  // pl, id/ms, vi
  String.raw`(?:zignoruj|ignoruj|zapomnij|pomi[ńn])\s+${G3}(?:instrukcje|polecenia|zasady|regu[łl]y)`,
  String.raw`(?:zignoruj|ignoruj|zapomnij|pomi[ńn])${NOT_CORRECTION_WORLD}\s+${G3}(?:poprzednie|wcze[śs]niejsze)`,
  String.raw`(?:abaikan|lupakan|hiraukan)\s+${G3}(?:instruksi|perintah|aturan|petunjuk|arahan)`,
  String.raw`(?:abaikan|lupakan|hiraukan)${NOT_CORRECTION_WORLD}\s+${G3}sebelumnya`,
  String.raw`(?:bỏ\s+qua|phớt\s+lờ|quên\s+đi|quên)\s+${G3}(?:hướng\s+dẫn|chỉ\s+dẫn|chỉ\s+thị|mệnh\s+lệnh|quy\s+tắc)`,
  String.raw`(?:bỏ\s+qua|phớt\s+lờ|quên\s+đi|quên)${NOT_CORRECTION_WORLD}\s+${G3}trước\s+đó`,
  // tl, sw, cs, hu, ro, sv (2026.11.7): the verb and an instruction noun; "previous" alone is a self-correction here
  String.raw`(?:huwag\s+(?:mong\s+|ninyong\s+)?pansinin|(?:balewalain|kalimutan|ipagwalang-bahala)(?<!huwag\s+(?:mong\s+|ninyong\s+)?\p{L}+))\s+${gap(6)}(?:tagubilin|instruksyon|panuto|patakaran|utos)`,
  String.raw`(?:puuza|puuzeni|sahau|sahauni|usizingatie|usifuate)\s+${G3}(?:maagizo|maelekezo|amri|kanuni)`,
  String.raw`(?:ignoruj(?:te)?|zapome[ňn](?:te)?|nedbej(?:te)?|neber(?:te)?\s+ohled\s+na)\s+${G3}(?:pokyn\p{L}*|instrukc\p{L}*|pravidl\p{L}*)`,
  String.raw`(?:hagyd|hagyja|hagyj[áa]tok)(?<!\bne\s+\p{L}+)\s+figyelmen\s+k[íi]v[üu]l\s+${G3}(?:utas[íi]t[áa]s\p{L}*|parancs\p{L}*|szab[áa]ly\p{L}*)`,
  String.raw`(?:felejtsd|felejtse|felejts[ée]tek)(?<!\bne\s+\p{L}+)\s+el\s+${G3}(?:utas[íi]t[áa]s\p{L}*|parancs\p{L}*|szab[áa]ly\p{L}*)`,
  String.raw`(?:(?:ignor[ăa]|ignora[țţt]i|uit[ăa]|uita[țţt]i)(?<!\bnu\s+\p{L}+)|nu\s+[țţt]ine\s+cont\s+de)\s+${G3}(?:instruc[țţt]iun\p{L}*|indica[țţt]ii\p{L}*|reguli\p{L}*|regulile|comenzi\p{L}*)`,
  String.raw`(?:ignorera|strunta\s+i|gl[öo]m(?!\s+inte\b)|bortse\s+fr[åa]n)\s+${G3}(?:instruktion\p{L}*|anvisning\p{L}*|regl\p{L}*)`,
  // "regardless of the previous instructions/tasks" (en, es, pt, fr, it, de)
  String.raw`(?:regardless\s+of|irrespective\s+of|independientemente\s+de|sin\s+importar|independentemente\s+d[aeo]s?|ind[ée]pendamment\s+d[eu]s?|indipendentemente\s+da(?:lle|gli|i)?|unabh[äa]ngig\s+von)\s+${G2}(?:(?:${PRIOR_ADJ})\s+(?:${TASK_NOUN})|(?:${TASK_NOUN})\s+(?:${PRIOR_ADJ}))`,
];

/** Scripts with their own word order: instruction noun and override verb, either order, bounded gap. */
const OVERRIDE_OTHER = [
  // tr (object before verb)
  String.raw`(?:önceki|yukarıdaki|tüm|bütün)\s+${G2}(?:talimatları|komutları|kuralları|yönergeleri)\s+(?:yok\s+say|görmezden\s+gel|unut)`,
  // ru, uk
  String.raw`(?:игнорируй(?:те)?|проигнорируй(?:те)?|забудь(?:те)?|не\s+обращай(?:те)?\s+внимания\s+на|отбрось(?:те)?|ігноруй(?:те)?|забудь(?:те)?)\s+${G3}(?:инструкци\p{L}*|указани\p{L}*|правил\p{L}*|команд\p{L}*|інструкці\p{L}*|вказівк\p{L}*)`,
  String.raw`забудь(?:те)?\s+(?:вс[её]|про\s+вс[её])`,
  // zh
  String.raw`(?<!不要|别|別|不能|不可|请勿|請勿)(?:忽略|无视|無視|不要理会|不要理會|不理会|跳过|跳過|不要遵守|不要遵循)[^\n。]{0,10}?(?:指示|指令|说明|說明|规则|規則|命令|提示)`,
  String.raw`(?:忘记|忘記|忘掉|放弃|放棄)[^\n。]{0,4}?(?:之前|以前|先前|上面|上述|前面|所有|全部|你的)[^\n。]{0,6}?(?:指示|指令|说明|說明|规则|規則|命令|设定|設定)`,
  String.raw`(?:忘记|忘記|忘掉|忽略)(?:一切|所有|全部)`,
  // ja
  String.raw`(?:指示|命令|指令|ルール|規則|制約|プロンプト)[^\n。]{0,8}?(?:無視(?:して|しろ|せよ|する|しなさい)|忘れ(?:て|ろ|なさい)|破棄(?:して|しろ|せよ))`,
  String.raw`(?:すべて|全て|今まで|これまで)[^\n。]{0,6}?(?:忘れて|無視して)`,
  // ko
  String.raw`(?:지시사항|지시|지침|명령어|명령|규칙|프롬프트)[^\n.]{0,8}?(?:무시(?!했|한\s|된)|잊어(?!버렸|버린)|잊고|잊으|따르지\s*마)`,
  // hi (NFKC splits nukta letters; the pattern is canonicalised the same way)
  String.raw`(?:निर्देशों|निर्देश|आदेशों|आदेश|नियमों|नियम|हिदायतों)\s+${G2}(?:अनदेखा|अनदेखी|नज़रअंदाज़|नजरअंदाज|उपेक्षा|भूल\s+जा|अनसुना)`,
  // bn, gu
  String.raw`(?:নির্দেশাবলী|নির্দেশনা|নির্দেশ|আদেশ|নিয়ম)[\p{L}\p{M}]*\s+${G2}(?:উপেক্ষা|ভুলে\s+যা|অগ্রাহ্য|অবজ্ঞা)`,
  String.raw`(?:સૂચનાઓ|સૂચના|આદેશો|નિયમો)[\p{L}\p{M}]*\s+${G2}(?:અવગણ|ભૂલી\s+જા)`,
  // ar, fa, ur
  String.raw`(?:تجاهل|تجاهلي|تجاهلوا|انس|انسى|إنس|اِنس|لا\s+تلتزم\s+ب|لا\s+تتبع)\s*${G2}(?:ال)?(?:تعليمات|إرشادات|أوامر|قواعد|توجيهات|كل\s+ما|جميع)`,
  String.raw`(?:دستورالعمل|دستورات|دستورها|قوانین)[^\n.]{0,20}?(?:نادیده|فراموش)`,
  String.raw`(?:ہدایات|احکامات|ہدایت|قواعد)\s+${G2}(?:نظر\s*انداز|بھول|فراموش)`,
  // he (2026.11.7): imperative forms; the past tense reads the same, so not after a pronoun or a negation
  String.raw`(?:התעלם|התעלמי|התעלמו|שכחי|שכחו|תשכח|תשכחי)(?<!(?:הוא|היא|הם|הן|והוא|שהוא|לא|אל)\s+(?:התעלם|התעלמו|תשכח|תשכחי))\s+${G3}[\u05d0-\u05ea]{0,2}(?:הוראות|הנחיות|כללים|פקודות)`,
  // el (2026.11.7), with or without accents
  String.raw`${W}(?:αγν[οό]ησ[εέ]|αγνο[ηή]στε|ξ[εέ]χασ[εέ]|ξεχ[αά]στε)\s+${G3}(?:οδηγ[ιί]\p{L}*|εντολ\p{L}*|καν[οό]ν\p{L}*)`,
  // "ignore the above" (ru, zh, ja, ko, hi, bn, ar, th, tr)
  String.raw`(?:игнорируй(?:те)?|забудь(?:те)?)\s+(?:вс[её]\s+)?(?:вышесказанное|вышеизложенное|написанное\s+выше|выше)`,
  String.raw`(?:忽略|无视|無視|忘记|忘記)(?:掉)?(?:上面|以上|上述|前面)(?![^\n。，,]{0,4}?(?:错别字|錯別字|错字|錯字|拼写|拼寫|笔误|筆誤|typo))`,
  String.raw`(?:上記|以上|上)(?:の内容)?を(?:無視|忘れ)`,
  String.raw`(?:위|위의\s*내용|앞의\s*내용)(?:을|를)?\s*(?:모두\s*)?무시`,
  String.raw`ऊपर\s+(?:को|की|के|दिए\s+गए)\s+(?:[\p{L}\p{M}]+\s+){0,1}(?:अनदेखा|अनदेखी|नज़रअंदाज़|नजरअंदाज|उपेक्षा)`,
  String.raw`উপরের\s+${G2}(?:উপেক্ষা|ভুলে\s+যা)`,
  String.raw`(?:تجاهل|انس)\s+(?:كل\s+)?(?:ما\s+سبق|ما\s+ورد\s+أعلاه|ما\s+(?:ذكر|قيل)\s+(?:أعلاه|سابقا))`,
  String.raw`(?:ไม่สนใจ|ละเว้น|เพิกเฉย)(?:ต่อ)?(?:ข้อความ)?ข้างต้น`,
  String.raw`yukarıdaki(?:ler)?(?:i|ni)?\s+(?:yok\s+say|görmezden\s+gel|unut)`,
  // th (no spaces between words)
  String.raw`(?:ละเว้น|เพิกเฉย|ไม่ต้องสนใจ|ไม่สนใจ|ลืม|ข้าม|อย่าทำตาม)[^\n]{0,12}?(?:คำแนะนำ|คำสั่ง|คำชี้แจง|กฎ|ข้อกำหนด)`,
  // ta
  String.raw`(?:அறிவுறுத்தல்|வழிமுறை|கட்டளை|விதிகள்|விதிமுறை)[\p{L}\p{M}]*\s+${G2}(?:புறக்கணி|மறந்துவிடு|மறந்து\s+விடு)`,
];

/** "The previous instructions/tasks" as a phrase (machine translation often loses the verb). */
const PRIOR_INSTRUCTIONS = [
  String.raw`(?:instrucciones|indicaciones|tareas)\s+(?:anteriores|previas)`,
  String.raw`(?:instructions|consignes|t[âa]ches)\s+(?:pr[ée]c[ée]dentes|ant[ée]rieures)`,
  String.raw`(?:istruzioni|compiti)\s+precedenti`,
  String.raw`(?:instru[çc][õo]es|tarefas)\s+(?:anteriores|pr[ée]vias)`,
  String.raw`(?:vorherigen?|bisherigen?|obigen?|vorigen?|früheren?)\s+(?:anweisungen|instruktionen|aufgaben|befehle|vorgaben)`,
  String.raw`(?:vorige|eerdere|voorgaande)\s+(?:instructies|opdrachten)`,
  String.raw`(?:poprzednie|wcze[śs]niejsze)\s+(?:instrukcje|polecenia)`,
  String.raw`(?:instruksi|perintah)\s+sebelumnya`,
  String.raw`önceki\s+(?:talimat|komut)`,
  String.raw`предыдущ\p{L}*\s+(?:инструкци|указани|команд)`,
  String.raw`(?:之前|以前|先前|上述|上面|此前)的?(?:所有)?(?:指示|指令|说明|說明)`,
  String.raw`(?:以前|前|上記|これまで)の(?:すべての|全ての)?(?:指示|命令)`,
  String.raw`(?:이전|앞의|앞선|위의|기존)\s*(?:의\s*)?(?:모든\s*)?(?:지시사항|지시|지침|명령)`,
  String.raw`(?:पिछले|पिछली|पूर्व|पहले\s+के)\s+${G2}(?:निर्देश)`,
  String.raw`(?:পূর্ববর্তী|আগের|পূর্বের)\s+${G2}(?:নির্দেশ)`,
  String.raw`(?:التعليمات|الأوامر|الإرشادات|التوجيهات)\s+(?:السابقة|الأولى)`,
  String.raw`(?:پچھلی|پچھلے|سابقہ)\s+${G2}(?:ہدایات|احکامات)`,
  String.raw`(?:คำแนะนำ|คำสั่ง)(?:ก่อนหน้า|ที่ผ่านมา|ข้างต้น)`,
  String.raw`முந்தைய\s+(?:அறிவுறுத்தல்|வழிமுறை)`,
];

const MODEL_INTERNALS = String.raw`\b(?:return|reveal|print|show|give|output|share|dump|leak|tell|send|display|expose|list)\s+(?:me\s+|us\s+)?(?:all\s+)?(?:of\s+)?your\s+(?:own\s+)?(?:embeddings?|(?:model\s+)?weights|parameters|training\s+data|hidden\s+states?|source\s+code|internal\s+(?:state|configuration|instructions|rules|prompt)|configuration|system\s+(?:configuration|settings)|vector\s+representations?|tokenizer|context\s+window)\b`;

const NEW_STATEMENT = String.raw`\bnew\s+(?:statement|command|instruction|task|prompt|order|directive|objective|goal)s?\s*(?:[-–—:]|\bis\s*:)`;

const AMNESIA = String.raw`\b(?:has|have|had|with|suffers?\s+from|got)\s+(?:total\s+|complete\s+)?amnesia\b|\bforgot(?:ten)?\s+(?:everything|all\s+(?:your|its|their|the)\s+(?:rules|instructions|training|guidelines|restrictions))`;

/** A password or secret key named in a language other than English (the English one is secret-request). */
const SECRET_WORDS = String.raw`${W}(?:contrase[ñn]a|clave\s+secreta|senha|chave\s+secreta|passwort|kennwort|geheimer?\s+schl[üu]ssel|mot\s+de\s+passe|cl[ée]\s+secr[èe]te|parola\s+d'ordine|chiave\s+segreta|wachtwoord|has[łl]o|şifre(?:ni|si|nizi)?|kata\s+sandi|mật\s+khẩu|пароль|密码|密碼|密钥|秘钥|口令|パスワード|秘密鍵|暗証番号|비밀번호|비밀\s*키|암호|पासवर्ड|गुप्त\s+कुंजी|পাসওয়ার্ড|كلمة\s+(?:المرور|السر)|رمز\s+عبور|پاس\s*ورڈ|รหัสผ่าน|கடவுச்சொல்|nenosiri|סיסמ[הא]|heslo|jelsz[óa]\p{L}*|parol[ăa]|l[öo]senord|κωδικ[οό]ς\s+πρ[οό]σβασης|kata\s+laluan)`;

/** "The user's" in other languages, before or after a personal detail (machine-translated data-exfiltration asks). */
const USER_DATA = String.raw`${W}(?:(?:del|al)\s+usuario|de\s+l'utilisateur|dell'utente|do\s+usu[áa]rio|da\s+usu[áa]ria|des\s+(?:benutzers|nutzers)|van\s+de\s+gebruiker|u[żz]ytkownika|kullanıcının|pengguna|người\s+dùng|пользователя|用户的|使用者的|ユーザーの|사용자의|사용자가|उपयोगकर्ता\s+(?:के|की|का)|ব্যবহারকারীর|المستخدم|کاربر|صارف\s+(?:کا|کی|کے)|ผู้ใช้)`;

export const MULTILINGUAL_SIGNATURES: readonly Signature[] = [
  {
    id: 'prompt-injection/sig/instruction-override-world',
    description: 'asks to ignore or forget earlier instructions, in one of 28 languages beyond English',
    score: { direct: 0.9, indirect: 0.95 },
    pattern: canonicalRe(`(?:${W}(?:${OVERRIDE_LATIN.join('|')}))|(?:${OVERRIDE_OTHER.join('|')})`),
  },
  {
    id: 'prompt-injection/sig/prior-instructions-mention',
    description: 'talks about "the previous instructions" in a language other than English (a feature; weak alone)',
    score: { direct: 0.3, indirect: 0.5 },
    pattern: canonicalRe(`(?:${PRIOR_INSTRUCTIONS.join('|')})`),
  },
  {
    id: 'prompt-injection/sig/model-internals-request',
    description: "asks for the model's embeddings, weights, training data, configuration or internal rules",
    score: { direct: 0.5, indirect: 0.9 },
    pattern: canonicalRe(MODEL_INTERNALS),
  },
  {
    id: 'prompt-injection/sig/new-statement',
    description: 'announces a new statement, command or task with a dash or colon (a hand-over to an injected task)',
    score: { direct: 0.35, indirect: 0.85 },
    pattern: canonicalRe(NEW_STATEMENT),
  },
  {
    id: 'prompt-injection/sig/amnesia-framing',
    description: 'frames the assistant as having forgotten its rules or everything (amnesia role-play)',
    score: { direct: 0.3, indirect: 0.85 },
    pattern: canonicalRe(AMNESIA),
  },
  {
    id: 'prompt-injection/sig/secret-word-multilingual',
    description: 'names a password or secret key in a language other than English (a feature; weak alone)',
    score: { direct: 0.3, indirect: 0.5 },
    pattern: canonicalRe(SECRET_WORDS),
  },
  {
    id: 'prompt-injection/sig/user-data-multilingual',
    description: '"the user\'s ..." in a language other than English, as in asks for another user\'s data (a feature; weak alone)',
    score: { direct: 0.3, indirect: 0.5 },
    pattern: canonicalRe(USER_DATA),
  },
];
