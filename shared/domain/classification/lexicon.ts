import type { Category } from '#contracts/classification';

/**
 * The keyword rules of the baseline classifier. Each rule names the decision it drives, so the
 * reasons an agent reads are the rule name and the words that matched.
 */
export interface KeywordRule {
  name: string;
  pattern: RegExp;
}

/** Words that make a post a problem on their own. */
export const CATEGORY_RULES: Record<Exclude<Category, 'not_issue'>, KeywordRule[]> = {
  cancellation: [
    { name: 'cancelled', pattern: /\b(?:cancel+(?:ed|ing|ation|ations)?|scrubbed)\b/g },
  ],
  delay: [
    { name: 'delayed', pattern: /\b(?:delay(?:ed|s)?|late|latest excuse|behind schedule|pushed back)\b/g },
    { name: 'waiting', pattern: /\b(?:still (?:waiting|sitting|stuck)|stuck (?:on|at|in) the (?:tarmac|gate|plane|airport)|on the tarmac for)\b/g },
    { name: 'missed connection', pattern: /\bmiss(?:ed|ing) (?:my |our |the )?connect(?:ion|ing flight)\b/g },
  ],
  baggage: [
    { name: 'baggage', pattern: /\b(?:bag|bags|baggage|luggage|suitcases?|checked item|stroller|car seat)\b/g },
  ],
  meal: [
    { name: 'meal', pattern: /\b(?:meal|meals|food|sandwich|snacks?|dinner|lunch|breakfast|catering|vegetarian|vegan|gluten|kosher|halal|menu|drinks?)\b/g },
  ],
  other_complaint: [
    { name: 'complaint words', pattern: /\b(?:worst|terrible|awful|horrible|horrendous|rude|disgusting|unacceptable|ridiculous|pathetic|useless|appalling|shambles|disappointed|disappointing|never again|shame on you|complain(?:t|ts|ing)?|refund|compensation|overbooked|downgraded|#fail|fail)\b/g },
  ],
};

/** Words that turn a neutral topic (a bag, a meal) into a problem. */
export const PROBLEM_RULE: KeywordRule = {
  name: 'problem words',
  pattern: /\b(?:lost|missing|damaged|broken|ruined|wrong|cold|stale|raw|sick|ill|inedible|no|never|didn'?t|did not|wasn'?t|not|ran out|where is|where's|still|nobody|no one|can'?t|cannot|won'?t|dirty|mould|mold|hair in|bug in)\b/g,
};

/** Praise that marks a post as not an issue unless a problem word is also present. */
export const PRAISE_RULE: KeywordRule = {
  name: 'praise',
  pattern: /\b(?:thanks?|thank you|great|love|loved|amazing|awesome|excellent|best|wonderful|delicious|fantastic|kudos|shout ?out)\b/g,
};

/** Safety and health: P1 whatever the category (issue #4's priority policy). */
export const P1_RULES: KeywordRule[] = [
  { name: 'food poisoning', pattern: /\bfood poisoning\b|\bgot sick (?:from|after) the (?:meal|food)\b/g },
  { name: 'allergic reaction', pattern: /\b(?:allergic reaction|anaphyla\w*|epi-?pen|nut allergy)\b/g },
  { name: 'medical need', pattern: /\b(?:insulin|medication|meds|cpap|oxygen|inhaler|medical (?:emergency|device|equipment))\b/g },
  { name: 'injury', pattern: /\b(?:injur(?:y|ed|ies)|bleeding|hurt (?:my|her|his)|concussion|broke (?:my|her|his) (?:arm|leg|wrist))\b/g },
  { name: 'assault or harassment', pattern: /\b(?:assault(?:ed)?|harass(?:ed|ment|ing)?|groped|threatened)\b/g },
  {
    name: 'minor alone or separated',
    pattern: /\b(?:unaccompanied minor|(?:my|our) (?:son|daughter|kid|kids|child|children|toddler|baby) (?:is |are |was |were )?(?:stranded|alone|left|seated away|sat away|separated|not seated)|seated (?:away )?(?:from|apart from) (?:my|our) (?:son|daughter|kid|kids|child|children|toddler|baby))\b/g,
  },
  { name: 'mobility aid missing', pattern: /\b(?:wheelchair|mobility (?:aid|scooter)|walker)\b.{0,40}\b(?:lost|missing|broken|damaged|never arrived)\b/g },
  { name: 'aircraft safety', pattern: /\b(?:smoke in the cabin|engine (?:fire|failure)|emergency landing|fumes|unsafe|safety issue)\b/g },
];

/** Severe disruption: P2 (issue #4's priority policy; a stated wait of 3 h or more counts too). */
export const P2_RULES: KeywordRule[] = [
  { name: 'missed connection', pattern: /\bmiss(?:ed|ing) (?:my |our |the )?connect(?:ion|ing flight)\b/g },
  { name: 'stranded', pattern: /\b(?:stranded|stuck overnight|overnight (?:at|in) the airport|sleeping (?:at|in) the airport|no hotel)\b/g },
  { name: 'cancelled without rebooking', pattern: /\b(?:no rebooking|not rebooked|won'?t rebook|no (?:alternative|other) flight|no way home)\b/g },
];

export const SEVERE_DELAY_MINUTES = 180;

export function matchRule(rule: KeywordRule, text: string): string[] {
  return [...new Set(Array.from(text.matchAll(rule.pattern), (match) => match[0]))];
}
