/**
 * The fifth signature set (2026.11.9): refusal suppression in ~25 languages beyond English. A jailbreak
 * that wants an answer at any price bans the ways a model declines: refusing, apologising, warning,
 * saying "I can't"; a persona jailbreak describes an AI "without rules or censorship that never
 * refuses". One such ban is ordinary speech ("don't apologise in the e-mail"). A ban on refusing or on
 * "I can't" within a couple of sentences of another ban or of "without rules / censorship / limits",
 * or an apology or warning ban beside "without rules", is a refusal-suppression attack; apology plus
 * warning bans alone are how an e-mail gets styled, and do not count. Written from language
 * knowledge, not from any dataset's strings.
 *
 * Same rules as the other sets: linear patterns with bounded gaps, compiled from their canonical form
 * (canonicalRe). A capital can fold differently from its small letter (Cyrillic `Н` to Latin `H`, `н`
 * stays; Greek `Μ` to `M`, `μ` to `u`), so each phrase's first letter is matched in both cases (`cap`).
 * Append only: indices are classifier feature ids.
 */
import { canonicalRe } from './signature-parts.ts';
import type { Signature } from './signatures.ts';

/** `phrase` with its first letter as a class of both cases, so a sentence-initial capital folds alike. */
function cap(phrase: string): string {
  const first = phrase.charAt(0);
  const upper = first.toUpperCase();
  return upper === first || !/\p{L}/u.test(first) ? phrase : `[${first}${upper}]${phrase.slice(1)}`;
}
const any = (phrases: readonly string[]): string => `(?:${phrases.map(cap).join('|')})`;
/** An optional opening quote before a quoted phrase ("I can't"). */
const Q = String.raw`[«"“„'‘]?\s*`;

/** Bans on refusing (imperative), and "never refuses" said of an assistant. */
const REFUSE = any([
  String.raw`no\s+(?:te\s+)?(?:niegues|rechaces)`, String.raw`nunca\s+(?:te\s+|se\s+)?(?:niegues|niega|rechaces|rechaza)`, String.raw`no\s+puedes\s+(?:negarte|rechazar)`, String.raw`no\s+se\s+niega\s+nunca`, String.raw`jam[áa]s\s+(?:te\s+)?niegues`,
  String.raw`n[ãa]o\s+(?:se\s+)?(?:recuse|negue)`, String.raw`(?:voc[êe]\s+)?n[ãa]o\s+pode\s+(?:se\s+)?(?:recusar|negar)`, String.raw`nunca\s+(?:se\s+)?recus[ea]`, String.raw`jamais\s+recus[ea]`,
  String.raw`ne\s+(?:refuse|refusez)\s+(?:pas|jamais|rien)`, String.raw`ne\s+dis\s+jamais\s+non`, String.raw`tu\s+ne\s+peux\s+pas\s+refuser`, String.raw`(?:tu\s+)?n'as\s+pas\s+le\s+droit\s+de\s+refuser`,
  String.raw`non\s+rifiutar(?:e|ti)`, String.raw`non\s+rifiuta\s+mai`, String.raw`mai\s+rifiutar`,
  String.raw`verweigere\s+(?:nicht|nie|niemals|nichts)`, String.raw`(?:verweigert|lehnt)\s+(?:nie|niemals|nichts)`, String.raw`lehne\s+(?:nichts|nie|niemals)`, String.raw`du\s+darfst\s+(?:nichts\s+|nie\s+|niemals\s+|nicht\s+)(?:ablehnen|verweigern)`,
  String.raw`weiger\s+(?:niet|nooit)`, String.raw`weigert\s+nooit`, String.raw`nooit\s+(?:iets\s+)?weigert`,
  String.raw`не\s+отказыва(?:й|йся|йте)`, String.raw`никогда\s+не\s+отказыва`, String.raw`не\s+откажи`, String.raw`(?:тебе\s+)?нельзя\s+отказыва`, String.raw`ты\s+не\s+можешь\s+отказ`, String.raw`ни\s+в\s+чём\s+не\s+отказыва`,
  String.raw`не\s+відмовляй(?:ся)?`, String.raw`ніколи\s+не\s+відмовля`,
  String.raw`nie\s+odmawiaj`, String.raw`nigdy\s+(?:nie\s+)?(?:niczego\s+)?(?:nie\s+)?odmawia`, String.raw`nie\s+odm[óo]w`, String.raw`nie\s+wolno\s+ci\s+odmawia`,
  String.raw`neodm[íi]tej`, String.raw`nikdy\s+(?:nic\s+)?neodm[íi]t`,
  String.raw`ne\s+utas[íi]ts\s+el`, String.raw`soha(?:\s+semmit)?\s+nem\s+utas[íi]t\s+(?:el|vissza)`,
  String.raw`nu\s+refuz(?:a|i)`, String.raw`niciodat[ăa]\s+nu\s+refuz`,
  String.raw`v[äa]gra\s+(?:inte|aldrig)`, String.raw`v[äa]grar\s+aldrig`,
  String.raw`asla\s+reddetme`, String.raw`reddetme(?:den|yeceksin|yen)?\b`, String.raw`hi[çc]bir\s+(?:şeyi|seyi|talebi)\s+reddetme`,
  String.raw`jangan\s+(?:pernah\s+)?menolak`, String.raw`(?:tidak|tak|gak|nggak)\s+pernah\s+menolak`,
  String.raw`huwag\s+(?:kang\s+|mong\s+)?tumanggi`, String.raw`hindi\s+(?:kailanman\s+)?(?:tumatanggi|tatanggi)`,
  String.raw`usikatae`, String.raw`hajawahi\s+kukataa`, String.raw`hakatai\s+kamwe`,
  String.raw`(?:không\s+được|đừng|không\s+bao\s+giờ|cấm)\s+từ\s+chối`,
  String.raw`(?:ห้าม|ไม่เคย|อย่า)\s*ปฏิเสธ`,
  String.raw`(?:不要|不许|不准|不能|别|绝不|从不|决不|不会|永远不)\s*拒绝`,
  String.raw`断らないで`, String.raw`断るな`, String.raw`拒否しないで`, String.raw`拒否するな`, String.raw`(?:決して|絶対に)断ら`, String.raw`何も断らない`, String.raw`断りません`, String.raw`断ってはいけません`,
  String.raw`거절하지\s*(?:마|말|않)`, String.raw`거부하지\s*(?:마|말|않)`, String.raw`거절하면\s*안\s*돼`,
  String.raw`لا\s+(?:ترفض|يرفض|تمتنع)`, String.raw`لن\s+ترفض`,
  String.raw`رد\s+نکن`, String.raw`امتناع\s+نکن`, String.raw`رد\s+نمی[\u200c\s]?کن`,
  String.raw`אל\s+תסרב`, String.raw`(?:לעולם|אף\s+פעם)\s+לא\s+מסרב`,
  String.raw`मना\s+(?:मत|न)\s+कर`, String.raw`कभी\s+मना\s+नहीं`, String.raw`इनकार\s+मत`,
  String.raw`μην\s+αρν`, String.raw`δεν\s+αρνε[ίι]ται\s+ποτ[έε]`, String.raw`ποτ[έε]\s+δεν\s+αρνε[ίι]ται`,
]);

/** Bans on apologising. */
const APOLOGY = any([
  String.raw`no\s+(?:te\s+)?disculpes`, String.raw`no\s+pidas\s+(?:perd[óo]n|disculpas)`,
  String.raw`n[ãa]o\s+(?:se\s+)?desculpe`, String.raw`n[ãa]o\s+pe[çc]a\s+desculpas`, String.raw`sem\s+pedir\s+desculpas`,
  String.raw`ne\s+(?:t'|vous\s+)?excuse[zs]?\s+pas`, String.raw`pas\s+d'excuses`,
  String.raw`non\s+scusarti`, String.raw`non\s+chiedere\s+scusa`, String.raw`niente\s+scuse`,
  String.raw`entschuldige\s+dich\s+nicht`, String.raw`keine\s+entschuldigungen`,
  String.raw`verontschuldig\s+je\s+niet`, String.raw`geen\s+excuses`,
  String.raw`не\s+извиняйся`, String.raw`без\s+извинений`, String.raw`никаких\s+извинений`,
  String.raw`не\s+вибачайся`, String.raw`без\s+вибачень`,
  String.raw`nie\s+przepraszaj`, String.raw`bez\s+przeprosin`,
  String.raw`neomlouvej\s+se`, String.raw`bez\s+omluv`,
  String.raw`ne\s+k[ée]rj\s+bocs[áa]natot`, String.raw`ne\s+mentegetőzz`,
  String.raw`nu\s+(?:te\s+)?scuza`, String.raw`nu\s+[îi][țţt]i\s+cere\s+scuze`,
  String.raw`be\s+inte\s+om\s+urs[äa]kt`, String.raw`inga\s+urs[äa]kter`,
  String.raw`[öo]z[üu]r\s+dileme(?:den)?`,
  String.raw`jangan\s+(?:minta\s+)?maaf`,
  String.raw`huwag\s+(?:kang\s+)?(?:humingi\s+ng\s+)?(?:paumanhin|tawad)`, String.raw`huwag\s+kang\s+mag-?sorry`,
  String.raw`usiombe\s+msamaha`,
  String.raw`(?:đừng|không\s+được)\s+xin\s+lỗi`,
  String.raw`(?:ห้าม|อย่า|ไม่ต้อง)\s*ขอโทษ`,
  String.raw`(?:不要|不许|不准|别|不用)\s*道歉`,
  String.raw`謝らないで`, String.raw`謝るな`, String.raw`謝罪しないで`, String.raw`謝罪は(?:不要|いらない)`,
  String.raw`사과하지\s*(?:마|말)`, String.raw`죄송하지만(?:["”']?\s*(?:이라는|이란|라는)\s*말(?:은|도)?)?\s*금지`,
  String.raw`لا\s+تعتذر`, String.raw`(?:بدون|دون)\s+اعتذار`,
  String.raw`عذرخواهی\s+نکن`, String.raw`معذرت\s+نخواه`,
  String.raw`אל\s+תתנצל`,
  String.raw`माफ़ी\s+मत`, String.raw`माफी\s+मत`, String.raw`क्षमा\s+मत`,
  String.raw`μη(?:ν)?\s+ζητ[άα]ς\s+συγγν[ώω]μη`,
]);

/** Bans on warnings, disclaimers and lectures. */
const WARNING = any([
  String.raw`no\s+(?:me\s+)?(?:adviertas|sermonees)`, String.raw`sin\s+(?:advertencias|sermones)`, String.raw`no\s+(?:a[ñn]adas|pongas|incluyas|des)\s+(?:ninguna\s+)?advertencias?`,
  String.raw`sem\s+(?:avisos|advert[êe]ncias|alertas|serm[õo]es)`, String.raw`n[ãa]o\s+(?:me\s+)?(?:avise|alerte)`, String.raw`n[ãa]o\s+(?:d[êe]|coloque|inclua|adicione)\s+(?:nenhum\s+)?(?:avisos?|alertas?|advert[êe]ncias?)`,
  String.raw`sans\s+(?:aucun\s+)?avertissements?`, String.raw`aucun\s+avertissement`, String.raw`ne\s+(?:mets|mettez|ajoute|ajoutez)\s+(?:aucun|pas\s+d')\s*avertissement`,
  String.raw`senza\s+avvertiment`, String.raw`nessun\s+avvertimento`, String.raw`non\s+(?:aggiungere|mettere)\s+avvertiment`,
  String.raw`keine\s+warnungen`, String.raw`ohne\s+warnungen`, String.raw`warne\s+(?:mich\s+)?nicht`,
  String.raw`geen\s+waarschuwingen`, String.raw`zonder\s+waarschuwingen`,
  String.raw`без\s+предупреждений`, String.raw`не\s+предупреждай`, String.raw`никаких\s+предупреждений`, String.raw`без\s+нотаций`,
  String.raw`без\s+попереджень`, String.raw`не\s+попереджай`, String.raw`жодних\s+попереджень`,
  String.raw`bez\s+ostrze[żz]e[ńn]`, String.raw`nie\s+ostrzegaj`, String.raw`nie\s+dodawaj\s+(?:[żz]adnych\s+)?ostrze[żz]e[ńn]`,
  String.raw`nevaruj`, String.raw`bez\s+varov[áa]n[íi]`,
  String.raw`ne\s+figyelmeztess`, String.raw`figyelmeztet[ée]s\s+n[ée]lk[üu]l`,
  String.raw`f[ăa]r[ăa]\s+avertismente`, String.raw`nu\s+(?:m[ăa]\s+)?avertiza`,
  String.raw`inga\s+varningar`, String.raw`utan\s+varningar`, String.raw`varna\s+inte`,
  String.raw`uyar[ıi]\s+(?:verme|yapma|ekleme)`, String.raw`uyar[ıi]s[ıi]z`,
  String.raw`jangan\s+(?:kasih|kasi|beri|berikan|tambahkan)\s+peringatan`, String.raw`tanpa\s+peringatan`, String.raw`jangan\s+(?:ceramah|menceramahi)`,
  String.raw`walang\s+babala`, String.raw`huwag\s+(?:kang\s+)?(?:magbigay\s+ng\s+)?babala`,
  String.raw`usitoe\s+onyo`, String.raw`bila\s+(?:onyo|tahadhari)`, String.raw`usinionye`,
  String.raw`(?:đừng|không\s+được)\s+(?:đưa\s+ra\s+)?cảnh\s+báo`, String.raw`không\s+(?:cần\s+)?cảnh\s+báo`,
  String.raw`(?:ห้าม|อย่า|ไม่ต้อง)\s*เตือน`, String.raw`ไม่ต้องมีคำเตือน`,
  String.raw`(?:不要|不许|不准|别|不用)\s*(?:提醒|警告|说教)`, String.raw`不加(?:任何)?(?:警告|免责声明)`,
  String.raw`警告しないで`, String.raw`警告は(?:不要|いらない|なし)`, String.raw`注意書きは(?:不要|いらない)`,
  String.raw`경고하지\s*(?:마|말)`, String.raw`경고\s*문구(?:도|는)?\s*(?:빼|쓰지\s*마|넣지\s*마)`,
  String.raw`لا\s+تحذر`, String.raw`(?:بدون|دون|بلا)\s+تحذيرات`,
  String.raw`هشدار\s+نده`, String.raw`بدون\s+هشدار`,
  String.raw`אל\s+תוסיף\s+אזהרות`, String.raw`(?:בלי|ללא)\s+אזהרות`, String.raw`אל\s+תזהיר`,
  String.raw`चेतावनी\s+(?:मत|न)\s+द`, String.raw`बिना\s+चेतावनी`,
  String.raw`χωρ[ίι]ς\s+προειδοποι`, String.raw`μην\s+(?:με\s+)?προειδοποι`,
]);

/** Bans on saying "I can't" (quoted or not). */
const CANT = any([
  String.raw`no\s+digas\s+${Q}no\s+puedo`, String.raw`n[ãa]o\s+diga\s+${Q}n[ãa]o\s+posso`, String.raw`ne\s+dis?\s+(?:jamais|pas)\s+${Q}je\s+ne\s+peux\s+pas`,
  String.raw`non\s+dire\s+${Q}non\s+posso`, String.raw`sag(?:e)?\s+(?:nie|nicht)\s+${Q}ich\s+kann\s+nicht`, String.raw`zeg\s+(?:nooit|niet)\s+${Q}ik\s+kan\s+(?:dat\s+)?niet`,
  String.raw`не\s+говори\s+${Q}я\s+не\s+могу`, String.raw`не\s+кажи\s+${Q}я\s+не\s+можу`, String.raw`nie\s+m[óo]w\s+${Q}nie\s+mog[ęe]`,
  String.raw`ne[řr][íi]kej\s+${Q}nem[ůu][žz]u`, String.raw`ne\s+mondd,?\s+hogy\s+${Q}(?:nem\s+tudok|nem\s+lehet|ebben\s+nem)`, String.raw`nu\s+spune\s+${Q}nu\s+pot`,
  String.raw`s[äa]g\s+(?:aldrig|inte)\s+${Q}jag\s+kan\s+inte`, String.raw`${Q}yapamam${Q}\s+deme`, String.raw`jangan\s+(?:bilang|katakan|bilang)\s+${Q}(?:tidak|gak|nggak|tak)\s+bisa`,
  String.raw`huwag\s+(?:mong\s+)?sabihing\s+${Q}hindi\s+ko\s+kaya`, String.raw`usiseme\s+${Q}siwezi`, String.raw`đừng\s+nói\s+${Q}tôi\s+không\s+thể`,
  String.raw`אל\s+תגיד\s+${Q}אני\s+לא\s+יכול`, String.raw`μην\s+πεις\s+${Q}δεν\s+μπορώ`,
]);

/** "Without rules / censorship / limits / restrictions / filters", as an assistant is described. */
const NO_RULES = any([
  String.raw`sin\s+(?:ning[uú]n[ao]?\s+)?(?:reglas?|censura|l[íi]mites?|restricci[oó]n(?:es)?|filtros?)`, String.raw`sem\s+(?:nenhum[ao]?\s+|qualquer\s+)?(?:regras?|censura|limites?|restri[çc](?:[õo]es|[ãa]o)|filtros?)`,
  String.raw`sans\s+(?:aucune?\s+)?(?:r[èe]gles?|censure|limites?|restrictions?|filtres?)`, String.raw`senza\s+(?:alcun[ao]?\s+|nessun[ao]?\s+)?(?:regole|censura|limiti|restrizioni|filtri)`,
  String.raw`ohne\s+(?:jegliche\s+|irgendwelche\s+)?(?:regeln|zensur|grenzen|einschr[äa]nkungen|filter)`, String.raw`zonder\s+(?:enige\s+|alle\s+)?(?:regels|censuur|grenzen|beperkingen|filters)`,
  String.raw`без\s+(?:каких-либо\s+|всяких\s+|любых\s+)?(?:правил|цензуры|ограничений|фильтров)`, String.raw`без\s+(?:жодних\s+|будь-яких\s+)?(?:правил|цензури|обмежень|фільтрів)`,
  String.raw`bez\s+(?:[żz]adnych\s+)?(?:zasad|regu[łl]|cenzury|ogranicze[ńn]|filtr[óo]w|limit[óo]w)`, String.raw`bez\s+(?:jak[ée]hokoli\s+|jak[ýy]chkoli\s+)?(?:pravidel|cenzury|omezen[íi]|filtr[ůu])`,
  String.raw`(?:szab[áa]lyok|cenz[úu]ra|korl[áa]tok|sz[űu]r[őo]k)\s+n[ée]lk[üu]l`, String.raw`f[ăa]r[ăa]\s+(?:reguli|cenzur[ăa]|limite|restric[țţt]ii|filtre)`,
  String.raw`utan\s+(?:n[åa]gra\s+)?(?:regler|censur|gr[äa]nser|begr[äa]nsningar|filter)`, String.raw`(?:kurals[ıi]z|sans[üu]rs[üu]z|s[ıi]n[ıi]rs[ıi]z|filtresiz)`,
  String.raw`tanpa\s+(?:aturan|sensor|batas(?:an)?|filter)`, String.raw`walang\s+(?:rules|patakaran|sensura|limitasyon|filter)`,
  String.raw`(?:bila|isiyo\s+na)\s+(?:sheria|udhibiti|mipaka|vikwazo)`, String.raw`không\s+(?:có\s+)?(?:quy\s+tắc|kiểm\s+duyệt|giới\s+hạn|bộ\s+lọc)`,
  String.raw`ไม่มี\s*(?:กฎ|การเซ็นเซอร์|ข้อจำกัด|ขีดจำกัด)`, String.raw`ไร้\s*(?:กฎ|ขีดจำกัด)`,
  String.raw`(?:没有|无|不受)(?:任何)?(?:规则|限制|审查|过滤|道德)`, String.raw`(?:ルール|制限|検閲|倫理)(?:も|が)?(?:なし|ない|なく|無し)`, String.raw`無制限`,
  String.raw`(?:규칙|검열|제한|필터)(?:도|이|가)?\s*없`, String.raw`무제한`,
  String.raw`(?:بلا|بدون|دون)\s+(?:قواعد|رقابة|قيود|حدود|فلاتر)`, String.raw`بدون\s+(?:هیچ\s+)?(?:قانون|سانسور|محدودیت|فیلتر)`,
  String.raw`(?:בלי|ללא)\s+(?:חוקים|צנזורה|הגבלות|מגבלות|פילטרים)`, String.raw`(?:बिना|कोई)\s+(?:नियम|सेंसर|सीमा|प्रतिबंध)`,
  String.raw`χωρ[ίι]ς\s+(?:κανόνες|λογοκρισ[ίι]α|όρια|περιορισμο[ύυ]ς|φίλτρα)`,
]);

/** Refusing and "I can't" are how a model declines; apologies and warnings alone are also how an e-mail is styled. */
const STRONG = `(?:${REFUSE}|${CANT})`;
const WEAK = `(?:${APOLOGY}|${WARNING})`;
/** Two cues within about two sentences. */
const NEAR = String.raw`[\s\S]{0,160}?`;

export const REFUSAL_SIGNATURES: readonly Signature[] = [
  {
    id: 'prompt-injection/sig/refusal-suppression-world',
    description: 'refusal suppression in other languages: a ban on refusing or on saying "I can\'t" beside another ban (apologising, warning) or "without rules / censorship / limits"; or an apology or warning ban beside "without rules"',
    score: { direct: 0.9, indirect: 0.9 },
    // The second cue sits in a lookahead: the literal prefilter then needs only the first cue's words
    // per branch (a pair of alternations would be a product of both lists in every branch).
    pattern: canonicalRe(`${STRONG}(?=${NEAR}(?:${STRONG}|${WEAK}|${NO_RULES}))|${WEAK}(?=${NEAR}(?:${STRONG}|${NO_RULES}))|${NO_RULES}(?=${NEAR}(?:${STRONG}|${WEAK}))`),
  },
];
