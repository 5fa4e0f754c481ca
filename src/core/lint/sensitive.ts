/**
 * Detection of protected attributes (sex/gender, race/ethnicity, age, religion, disability,
 * nationality/citizenship, marital status, pregnancy, sexual orientation) from a column's header
 * name and its values, with an English lexicon plus common variants and abbreviations.
 *
 * Used by RML002 (sensitive feature), RML003 (undeclared sensitive) and, for "detected"
 * attributes, RML004, RML008 and RML009.
 */
import { splitIdentifier } from '../privacy/pii';

/** The protected characteristics the lint knows. */
export type ProtectedCategory =
  | 'sex'
  | 'race'
  | 'age'
  | 'religion'
  | 'disability'
  | 'nationality'
  | 'marital-status'
  | 'pregnancy'
  | 'sexual-orientation';

/** Human-readable name of each category. */
export const PROTECTED_LABELS: Readonly<Record<ProtectedCategory, string>> = Object.freeze({
  sex: 'sex/gender',
  race: 'race/ethnicity',
  age: 'age',
  religion: 'religion',
  disability: 'disability',
  nationality: 'nationality/citizenship',
  'marital-status': 'marital status',
  pregnancy: 'pregnancy',
  'sexual-orientation': 'sexual orientation',
});

/** Why a column was taken for a protected attribute. */
export interface ProtectedDetection {
  category: ProtectedCategory;
  /** {@link PROTECTED_LABELS} of the category. */
  label: string;
  evidence: 'name' | 'values' | 'name+values';
  /** The header word(s) that matched, when the name matched. */
  term?: string;
  /** Share of the checked non-missing values found in the category's value lexicon (when values matched). */
  valueShare?: number;
  /** Up to three of the lexicon values seen, most frequent first (group labels such as `Female`, never personal data). */
  values?: string[];
}

// ---------------------------------------------------------------------------------------------
// Names

interface NameRule {
  category: ProtectedCategory;
  /** Whole words of the header (after splitIdentifier). */
  words?: readonly string[];
  /** Substrings of the header's words joined without separators. */
  compact?: readonly string[];
}

/** Checked in order: the first rule that matches wins (so `sexual_orientation` is not `sex`). */
const NAME_RULES: readonly NameRule[] = [
  { category: 'sexual-orientation', compact: ['sexualorientation', 'sexuality', 'lgbt'], words: ['orientation', 'gay', 'lesbian', 'bisexual'] },
  { category: 'age', compact: ['seniorcitizen', 'yearofbirth', 'birthyear', 'birthyr', 'agegroup', 'agecat', 'ageband', 'agebucket', 'agerange', 'ageyears', 'agebin'], words: ['age', 'ages', 'yob', 'agecat', 'aged', 'elderly'] },
  { category: 'pregnancy', compact: ['pregnan', 'maternity', 'gravidity'] },
  { category: 'sex', compact: ['gender', 'ismale', 'isfemale'], words: ['sex', 'sexe', 'gender', 'gndr', 'male', 'female', 'genders'] },
  { category: 'race', compact: ['ethnicit', 'raceethnicity', 'skincolo', 'racial'], words: ['race', 'races', 'ethnic', 'ethnicity', 'racial'] },
  { category: 'religion', compact: ['religio', 'denomination'], words: ['faith', 'creed'] },
  { category: 'disability', compact: ['disabilit', 'disabled', 'handicap', 'impairment'], words: ['impaired'] },
  {
    category: 'nationality',
    compact: ['nationality', 'citizenship', 'nativecountry', 'countryofbirth', 'birthcountry', 'countryoforigin', 'nationalorigin', 'foreignworker', 'foreignborn', 'immigra', 'visastatus', 'birthplace', 'placeofbirth'],
    words: ['citizen', 'citizens', 'immigrant', 'nationality', 'foreigner'],
  },
  { category: 'marital-status', compact: ['marital', 'marriage', 'married', 'civilstatus', 'relationshipstatus', 'spouse'], words: ['marital', 'marriage', 'married'] },
];

/**
 * The protected category a header name points at, if any.
 * @example protectedByName('age_cat') → { category: 'age', term: 'age' }
 */
export function protectedByName(header: string): { category: ProtectedCategory; term: string } | undefined {
  const words = splitIdentifier(header);
  const compact = words.join('');
  for (const rule of NAME_RULES) {
    const w = rule.words?.find((x) => words.includes(x));
    if (w) return { category: rule.category, term: w };
    const c = rule.compact?.find((x) => compact.includes(x));
    if (c) return { category: rule.category, term: c };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

/** Values that fit any category (unknown, other…): they count as matching but are not a group. */
const NEUTRAL = new Set(['other', 'others', 'unknown', 'not stated', 'not specified', 'prefer not to say', 'declined', 'none', 'na', 'n a', 'missing', 'not known', 'refused']);

const VALUE_LEXICON: Readonly<Record<ProtectedCategory, readonly string[]>> = {
  sex: ['male', 'female', 'm', 'f', 'man', 'woman', 'men', 'women', 'boy', 'girl', 'non binary', 'nonbinary', 'transgender', 'trans', 'intersex', 'genderqueer', 'gender fluid'],
  race: [
    'white', 'black', 'asian', 'hispanic', 'latino', 'latina', 'latinx', 'caucasian', 'african american', 'afro american', 'native american',
    'american indian', 'amer indian eskimo', 'asian pac islander', 'pacific islander', 'native hawaiian', 'alaska native', 'alaskan native',
    'american indian or alaska native', 'native hawaiian or other pacific islander', 'black or african american', 'hispanic or latino',
    'not hispanic or latino', 'non hispanic', 'not hispanic', 'white non hispanic', 'non hispanic white', 'non hispanic black',
    'mixed', 'multiracial', 'biracial', 'two or more races', 'mixed race', 'arab', 'middle eastern', 'indigenous', 'aboriginal',
    'asian american', 'puerto rican', 'mexican american', 'chicano', 'south asian', 'east asian', 'southeast asian', 'first nations',
  ],
  age: ['young', 'aged', 'old', 'elderly', 'senior', 'adult', 'child', 'children', 'teen', 'teenager', 'youth', 'middle aged', 'minor', 'juvenile', 'infant', 'retired'],
  religion: [
    'christian', 'christianity', 'catholic', 'roman catholic', 'protestant', 'muslim', 'islam', 'islamic', 'jewish', 'judaism', 'jew', 'hindu',
    'hinduism', 'buddhist', 'buddhism', 'sikh', 'sikhism', 'atheist', 'agnostic', 'orthodox', 'mormon', 'lds', 'jehovahs witness',
    'evangelical', 'baptist', 'methodist', 'lutheran', 'anglican', 'no religion', 'shinto', 'taoist', 'jain', 'bahai',
  ],
  disability: ['disabled', 'not disabled', 'non disabled', 'disability', 'no disability', 'impaired', 'handicapped', 'wheelchair user', 'deaf', 'blind'],
  nationality: [
    'citizen', 'non citizen', 'noncitizen', 'us citizen', 'naturalized', 'naturalised', 'immigrant', 'native born', 'foreign born', 'foreigner',
    'foreign', 'national', 'permanent resident', 'refugee', 'asylum seeker', 'undocumented',
    'united states', 'usa', 'us', 'america', 'mexico', 'canada', 'germany', 'france', 'united kingdom', 'uk', 'england', 'scotland', 'ireland',
    'italy', 'spain', 'portugal', 'poland', 'russia', 'ukraine', 'china', 'japan', 'korea', 'south korea', 'india', 'pakistan',
    'bangladesh', 'philippines', 'vietnam', 'thailand', 'cambodia', 'laos', 'indonesia', 'malaysia', 'taiwan', 'hong', 'iran', 'iraq',
    'syria', 'turkey', 'israel', 'egypt', 'morocco', 'nigeria', 'ghana', 'kenya', 'ethiopia', 'somalia', 'south africa', 'brazil',
    'argentina', 'colombia', 'peru', 'chile', 'ecuador', 'venezuela', 'cuba', 'jamaica', 'haiti', 'dominican republic',
    'puerto rico', 'el salvador', 'guatemala', 'honduras', 'nicaragua', 'trinadad tobago', 'trinidad and tobago', 'greece',
    'hungary', 'yugoslavia', 'holand netherlands', 'netherlands', 'belgium', 'switzerland', 'austria', 'sweden', 'norway',
    'denmark', 'finland', 'outlying us guam usvi etc', 'south', 'australia', 'new zealand',
  ],
  'marital-status': [
    'married', 'single', 'divorced', 'widowed', 'widow', 'widower', 'separated', 'never married', 'married civ spouse', 'married af spouse',
    'married spouse absent', 'domestic partner', 'unmarried', 'husband', 'wife', 'engaged', 'cohabiting', 'civil partnership',
    'civil union', 'partnered', 'not married',
  ],
  pregnancy: ['pregnant', 'not pregnant', 'non pregnant', 'pregnancy'],
  'sexual-orientation': ['heterosexual', 'homosexual', 'gay', 'lesbian', 'bisexual', 'straight', 'asexual', 'pansexual', 'queer', 'gay or lesbian'],
};

const CATEGORIES = Object.keys(PROTECTED_LABELS) as ProtectedCategory[];
const LEXICON_SETS = new Map<ProtectedCategory, ReadonlySet<string>>(CATEGORIES.map((c) => [c, new Set(VALUE_LEXICON[c])]));

const AGE_BAND = /^(?:\d{1,3}\s*(?:-|to)\s*\d{1,3}(?:\s*(?:years?|yrs?))?|(?:less|greater|more|younger|older)\s+than\s+\d{1,3}|(?:under|over|above|below)\s+\d{1,3}|\d{1,3}\s*(?:\+|and\s+(?:over|older|above|up))|\d{1,3}s)$/;

/** Lower case, punctuation and underscores to spaces, squeezed: `Married-civ-spouse` → `married civ spouse`. */
export function normalizeValue(v: string): string {
  return v
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim();
}

/** Options of {@link detectProtectedAttribute}. */
export interface ProtectedOptions {
  /** Share of checked values that must be in a category's lexicon for value evidence (default 0.8). */
  valueShare?: number;
  /** At most this many non-missing values are checked (default 2000). */
  maxValues?: number;
}

/**
 * Decide whether a column holds a protected attribute.
 *
 * - By name: a header word or compact form from the category's list (`sex`, `gender`, `race`,
 *   `ethnicity`, `age`, `age_cat`, `religion`, `disability`, `native-country`, `foreign_worker`,
 *   `marital`, `pregnancies`, `sexual_orientation`, …).
 * - By values: at least `valueShare` of the checked non-missing values are in the category's
 *   lexicon (neutral values such as `other` and `unknown` count as in it), with at least two
 *   distinct non-neutral lexicon values (two groups) and at most 60 distinct values in all. For
 *   age, value bands count too (`25 - 45`, `Less than 25`, `65+`) but at least one value must be
 *   an age word (`young`, `senior`…); for nationality, at least three countries or statuses; for
 *   sex, two values spelled out (`M`/`F` alone is as often felony/misdemeanour).
 *
 * When both match different categories the name wins (the header is the author's intent).
 * @returns the detection, or undefined when the column does not look protected
 */
export function detectProtectedAttribute(header: string, values: ArrayLike<string | null>, opts: ProtectedOptions = {}): ProtectedDetection | undefined {
  const byName = protectedByName(header);
  const byValues = protectedByValues(values, opts);
  if (byName && byValues && byValues.category === byName.category) {
    return { category: byName.category, label: PROTECTED_LABELS[byName.category], evidence: 'name+values', term: byName.term, valueShare: byValues.share, values: byValues.examples };
  }
  if (byName) return { category: byName.category, label: PROTECTED_LABELS[byName.category], evidence: 'name', term: byName.term };
  if (byValues) return { category: byValues.category, label: PROTECTED_LABELS[byValues.category], evidence: 'values', valueShare: byValues.share, values: byValues.examples };
  return undefined;
}

/** The category whose lexicon covers the column's values (see {@link detectProtectedAttribute}). */
export function protectedByValues(values: ArrayLike<string | null>, opts: ProtectedOptions = {}): { category: ProtectedCategory; share: number; examples: string[] } | undefined {
  const valueShare = opts.valueShare ?? 0.8;
  const maxValues = opts.maxValues ?? 2000;
  const counts = new Map<string, { n: number; raw: string }>();
  let total = 0;
  const step = Math.max(1, Math.floor(values.length / maxValues));
  for (let i = 0; i < values.length && total < maxValues; i += step) {
    const v = values[i];
    if (v === null) continue;
    const key = normalizeValue(v);
    if (key === '') continue;
    total++;
    const e = counts.get(key);
    if (e) e.n++;
    else counts.set(key, { n: 1, raw: v.trim() });
    if (counts.size > 60) return undefined;
  }
  if (total === 0) return undefined;
  let best: { category: ProtectedCategory; share: number; examples: string[] } | undefined;
  for (const [category, lex] of LEXICON_SETS) {
    let covered = 0;
    const groups: [string, number][] = [];
    let ageWord = false;
    for (const [key, { n, raw }] of counts) {
      if (lex.has(key)) {
        covered += n;
        groups.push([raw, n]);
        if (category === 'age') ageWord = true;
      } else if (NEUTRAL.has(key)) {
        covered += n;
      } else if (category === 'age' && AGE_BAND.test(key)) {
        covered += n;
        groups.push([raw, n]);
      }
    }
    const share = covered / total;
    const minGroups = category === 'nationality' ? 3 : 2;
    if (share < valueShare || groups.length < minGroups) continue;
    if (category === 'age' && !ageWord) continue;
    // Single letters (M/F) are too ambiguous alone: felony/misdemeanour, full/part time…
    if (category === 'sex' && groups.filter(([g]) => g.length > 1).length < 2) continue;
    if (!best || share > best.share) {
      best = { category, share, examples: groups.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([g]) => g) };
    }
  }
  return best;
}
