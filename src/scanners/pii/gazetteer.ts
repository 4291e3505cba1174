/**
 * Small hand-written word lists (facts and function words, not a copied name list), stored as
 * sets of token hashes so lookups allocate nothing. Each list is one bit of `gazetteerBits`.
 */
import { wordHash } from './tokens.ts';

const LISTS: Record<string, string> = {
  // honorifics and titles
  title: 'mr mrs ms miss mx dr prof sir madam dame lord lady rev fr sr jr herr frau mme mlle sra sr don doña',
  // words that introduce or sit near a person
  personCue: 'name named called by with from dear hi hello thanks regards sincerely contact patient client customer employee manager author signed mister',
  // street types and unit words
  street: 'street st road rd avenue ave av boulevard blvd lane ln drive dr court ct place pl square sq way terrace parkway pkwy highway hwy route apt apartment suite ste unit floor fl building bldg po box rue via calle strasse straße str weg gasse platz allee vej gade gata gatan vägen katu tie ulica utca laan straat plein rua avenida chemin',
  // organisation suffixes and cue words
  org: 'inc ltd llc plc corp corporation co company gmbh ag sa sarl bv nv oy ab as spa srl kg group holdings partners associates foundation institute university bank labs technologies systems solutions services consulting analytics insights health',
  // countries and regions (facts)
  place:
    'afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burundi cambodia cameroon canada chad chile china colombia congo croatia cuba cyprus czechia czech denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe usa uk england scotland wales greenland ' +
    'alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming ' +
    'city town village county province state district region',
  // words before a place
  placeCue: 'in at from to near visit visited live lives lived born moved city town based located',
  // nationality, religious and political group adjective endings are learnt from suffixes; a few common words
  nrp: 'american british english french german italian spanish swedish norwegian danish finnish dutch polish russian chinese japanese korean indian canadian mexican brazilian irish scottish welsh greek turkish christian muslim jewish hindu buddhist catholic protestant democrat republican',
  // words around dates, times and ages
  time: 'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec today yesterday tomorrow',
  ageCue: 'age aged old year years yo turned turning',
  // common given names across languages (a compact list written for this project)
  givenName:
    'james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe logan alan juan albert willie elijah wayne randy vincent liam lucas oliver leo max felix hugo louis emil anton jan lars sven erik nils johan karl hans jens mikael pierre jean luc antoine marco luca giovanni giuseppe francesco alessandro carlos miguel luis pedro diego pablo javier ahmed mohammed mohamed ali omar hassan yusuf ibrahim raj rahul amit arjun vikram sanjay wei li chen hiroshi kenji takeshi yuki ivan dmitri sergei nikolai olga ' +
    'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail alice julia judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori jane eva ava mia chloe zoe lea lena sofia elena ana lucia carmen isabel ines marta clara paula sophie camille chantal fatima aisha leila priya anjali sunita mei yuko sakura natasha irina svetlana ingrid astrid freya karin anja birgit',
  surname:
    'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts doe müller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann dupont durand leroy moreau rossi russo ferrari esposito bianchi romano silva santos oliveira pereira costa kowalski nowak novak horvat jensen nielsen hansen larsen andersen johansson karlsson nilsson eriksson virtanen korhonen patel shah singh kumar sharma khan ali wang zhang liu chen yang huang zhao wu tanaka suzuki sato watanabe ivanov petrov smirnov kim park choi',
};

export const GAZETTEER_NAMES = Object.keys(LISTS);

const table = new Map<number, number>();
GAZETTEER_NAMES.forEach((name, bit) => {
  for (const word of LISTS[name]!.split(' ')) {
    if (!word) continue;
    const h = wordHash(word);
    table.set(h, (table.get(h) ?? 0) | (1 << bit));
  }
});

/** Bit set of the lists containing the word whose lowercase hash is `hash` (0 when none). */
export function gazetteerBits(hash: number): number {
  return table.get(hash) ?? 0;
}

/** Every listed word's hash with its bit set (for tables that fold the lists into another lookup). */
export function gazetteerTable(): ReadonlyMap<number, number> {
  return table;
}

/**
 * Capitalised function words (pronouns, determiners, question words, auxiliaries, conjunctions,
 * common imperatives): not a feature list, used only by the tagger's skip rule, so "I", "The",
 * "Please" after an O token are O without scoring. Words that are also names or months (will,
 * may, mark, bill) are left out.
 */
export const FUNCTION_WORDS: ReadonlySet<number> = new Set(
  (
    'i me my mine we our ours us you your yours he him his she her hers it its they them their theirs ' +
    'this that these those the a an what which who whom whose when where why how ' +
    'is are was were be been being am do does did have has had can could would shall should might must ' +
    'please if and but or nor so for to of on as also there here then since unlike after before while because although though ' +
    'yes no not let tell send give show find help make write explain describe list create generate check update note thank ' +
    'any some every each all both either neither'
  )
    .split(' ')
    .map((word) => wordHash(word)),
);

/** The bit of list `name` in `gazetteerBits`. */
export function gazetteerBit(name: string): number {
  const at = GAZETTEER_NAMES.indexOf(name);
  if (at < 0) throw new Error(`pii gazetteer: no list named ${name}`);
  return 1 << at;
}
