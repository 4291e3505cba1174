/**
 * Refusal and AI-disclaimer phrasings in English, French, Spanish, German, Portuguese, Italian,
 * Russian, Chinese and Japanese. Patterns run on a lower-cased view with typographic apostrophes
 * folded; every quantifier is bounded.
 */

export interface PhraseSet {
  kind: 'refusal' | 'disclaimer';
  language: string;
  pattern: RegExp;
}

const HELP_VERBS = '(?:help|assist|provide|comply|fulfil{1,2}|do (?:that|this|so)|create|write|generate|produce|share|answer|support|engage|give|offer|discuss|continue|complete|participate|recommend|carry out|go along)';
const I_CANNOT = "(?:i\\s{0,2}(?:can(?:'|no)t|can not|won't|will not|am unable to|'m unable to|am not able to|'m not able to|must decline to|have to decline to|refuse to|am not comfortable|'m not comfortable|don't feel comfortable|do not feel comfortable))";

export const PHRASES: readonly PhraseSet[] = [
  { kind: 'refusal', language: 'en', pattern: new RegExp(`\\b${I_CANNOT}\\s{1,3}(?:\\w{1,12}\\s{1,3}){0,2}${HELP_VERBS}\\b(?!\\s{1,3}but\\b)`) },
  { kind: 'refusal', language: 'en', pattern: /\b(?:i'm sorry|i am sorry|sorry|i apologi[sz]e|unfortunately)[,.!]?\s{0,3}(?:but\s{1,3})?(?:i\s{0,2}(?:can(?:'|no)t|can not|won't|will not|am unable|'m unable|am not able|'m not able)|that's not something i|this is not something i|that is not something i)\b/ },
  { kind: 'refusal', language: 'en', pattern: /\bas an? (?:ai|artificial intelligence)(?: (?:language model|model|assistant))?,?\s{1,3}i\s{0,2}(?:can(?:'|no)t|can not|won't|will not|am unable|'m unable|am not able|'m not able|do not have the ability|don't have the ability)\b/ },
  { kind: 'refusal', language: 'en', pattern: /\bi\s{1,3}(?:must|have to|need to)\s{1,3}(?:respectfully\s{1,3})?decline\b/ },
  { kind: 'refusal', language: 'en', pattern: /\b(?:that|this|your)\s{1,3}(?:request\s{1,3})?(?:goes against|violates|is against|would violate|is not in line with)\s{1,3}(?:my|our|the|openai's|anthropic's)\s{1,3}(?:\w{1,15}\s{1,3}){0,2}(?:guidelines|policies|policy|principles|terms|rules)\b/ },
  { kind: 'refusal', language: 'en', pattern: /\bi(?:'m| am) not (?:allowed|permitted|able) to (?:help|assist|provide|share|discuss|answer)\b/ },
  { kind: 'disclaimer', language: 'en', pattern: /\bas an? (?:ai|artificial intelligence)(?: (?:language model|model|assistant|chatbot))?\b|\bas a (?:large )?language model\b|\bi(?:'m| am) (?:just |only )?an? (?:ai|artificial intelligence)(?: (?:language model|model|assistant))?(?:,| and| so)/ },

  { kind: 'refusal', language: 'fr', pattern: /\bje ne (?:peux|suis pas en mesure de|vais pas) (?:pas )?(?:vous |t')?(?:aider|fournir|répondre|faire|donner|communiquer|partager|accéder)/ },
  { kind: 'refusal', language: 'fr', pattern: /\b(?:je suis )?désolée?,? (?:mais )?je ne (?:peux|suis pas en mesure)/ },
  { kind: 'disclaimer', language: 'fr', pattern: /\ben tant qu'(?:ia|intelligence artificielle|assistant(?:e)? (?:virtuel(?:le)?|ia)|modèle de langage)\b/ },

  { kind: 'refusal', language: 'es', pattern: /\bno (?:puedo|me es posible|estoy en condiciones de) (?:ayudar(?:te|le)?|proporcionar|hacer|responder|cumplir|brindar|dar|ofrecer|compartir|asistir)/ },
  { kind: 'refusal', language: 'es', pattern: /\blo siento,? (?:pero )?no (?:puedo|me es posible)/ },
  { kind: 'disclaimer', language: 'es', pattern: /\bcomo (?:una? )?(?:ia|inteligencia artificial|modelo de lenguaje|asistente de ia)\b/ },

  { kind: 'refusal', language: 'de', pattern: /\bich kann (?:ihnen |dir |euch )?(?:dabei |damit |hierbei |hier |leider |ihnen |dir ){0,3}nicht (?:helfen|behilflich sein|weiterhelfen|unterstützen|bereitstellen|liefern|beantworten)/ },
  { kind: 'refusal', language: 'de', pattern: /\b(?:es tut mir leid|entschuldigung|leider),? (?:aber )?(?:ich kann|das kann ich) (?:\S{1,15} ){0,3}nicht\b/ },
  { kind: 'disclaimer', language: 'de', pattern: /\bals (?:eine? )?(?:ki|künstliche intelligenz|sprachmodell|ki-assistent|ki-sprachmodell)\b/ },

  { kind: 'refusal', language: 'pt', pattern: /\bnão (?:posso|consigo|sou capaz de) (?:te |lhe )?(?:ajudar|fornecer|fazer|responder|cumprir|compartilhar|dar)/ },
  { kind: 'refusal', language: 'pt', pattern: /\b(?:desculpe|lamento|sinto muito),? (?:mas )?não (?:posso|consigo)/ },
  { kind: 'refusal', language: 'it', pattern: /\bnon (?:posso|sono in grado di) (?:aiutarti|aiutarla|aiutare|fornire|rispondere|fare|condividere)/ },
  { kind: 'refusal', language: 'it', pattern: /\bmi dispiace,? (?:ma )?non (?:posso|sono in grado)/ },
  { kind: 'disclaimer', language: 'pt', pattern: /\bcomo (?:um )?(?:modelo de linguagem|assistente de ia|ia)\b/ },
  { kind: 'disclaimer', language: 'it', pattern: /\bcome (?:un )?(?:modello (?:linguistico|di linguaggio)|assistente ia|ia)\b/ },

  { kind: 'refusal', language: 'ru', pattern: /я не могу (?:вам |тебе )?(?:помочь|предоставить|ответить|выполнить|сделать|поделиться)|извините,? (?:но )?я не могу/ },
  { kind: 'disclaimer', language: 'ru', pattern: /как (?:языковая модель|ии|искусственный интеллект)(?:[ ,.]|$)/ },
  { kind: 'refusal', language: 'zh', pattern: /(?:我|抱歉[，,]?\s?我)(?:不能|无法|不可以|没办法)(?:为你|为您|帮你|帮您)?(?:提供|帮助|协助|满足|回答|完成|处理)/ },
  { kind: 'disclaimer', language: 'zh', pattern: /作为一?[个名]?(?:人工智能|ai|AI)(?:语言模型|助手)?/ },
  { kind: 'refusal', language: 'ja', pattern: /(?:お手伝い|お答え|ご提供|対応|協力)(?:することは)?できません|申し訳(?:ありません|ございません)が[、,]?.{0,40}?できません/ },
];
