import type { Category, Classification, Priority, Reason } from '#contracts/classification';
import { extractEntities } from './entities.ts';
import { guessLanguage } from './language.ts';
import {
  CATEGORY_RULES,
  matchRule,
  P1_RULES,
  P2_RULES,
  PRAISE_RULE,
  PROBLEM_RULE,
  SEVERE_DELAY_MINUTES,
  type KeywordRule,
} from './lexicon.ts';
import { normalizeText } from './normalize.ts';

export interface ClassifyOptions {
  /** Languages the rules cover; any other language is marked an issue for human triage. */
  coveredLanguages: readonly string[];
}

// Categories in the order their keywords win when a post names several: the more specific
// and the more disruptive first ("cancelled, and they lost my bag" is a cancellation).
const CATEGORY_ORDER: Array<Exclude<Category, 'not_issue'>> = ['cancellation', 'delay', 'baggage', 'meal', 'other_complaint'];
// Topics that are not a problem by themselves: "loved the meal" is praise.
const NEUTRAL_TOPICS = new Set<Category>(['baggage', 'meal']);

/**
 * The keyword-rule classifier: explainable, no model. Every decision carries the rule and the
 * words behind it, so an agent can see why a post landed where it did.
 */
export function classify(text: string, options: ClassifyOptions): Classification {
  const normalized = normalizeText(text);
  const entities = extractEntities(text, normalized);
  const reasons: Reason[] = [];
  const { language, evidence: languageEvidence } = guessLanguage(normalized);
  reasons.push({ decision: 'language', rule: language === 'und' ? 'no language signal' : 'language words', evidence: languageEvidence });

  if (language !== 'und' && !options.coveredLanguages.includes(language)) {
    reasons.push({ decision: 'issue', rule: `language "${language}" is not covered: a person triages it`, evidence: languageEvidence });
    return { isIssue: true, category: 'other_complaint', priority: 'P3', confidence: 0.5, entities, language, reasons };
  }

  const p1 = firstMatch(P1_RULES, normalized);
  // A safety or health problem makes a neutral topic a problem too ("allergic reaction to the meal").
  const problems = [...matchRule(PROBLEM_RULE, normalized), ...(p1?.evidence ?? [])];
  const praise = matchRule(PRAISE_RULE, normalized);
  const category = pickCategory(normalized, problems, reasons);

  if (category === 'not_issue' && !p1) {
    if (praise.length > 0) reasons.push({ decision: 'issue', rule: PRAISE_RULE.name, evidence: praise });
    return { isIssue: false, category, priority: 'P4', confidence: praise.length > 0 ? 0.8 : 0.6, entities, language, reasons };
  }

  const finalCategory = category === 'not_issue' ? 'other_complaint' : category;
  if (category === 'not_issue' && p1) reasons.push({ decision: 'category', rule: 'safety or health without a topic', evidence: p1.evidence });
  if (praise.length > 0) reasons.push({ decision: 'issue', rule: 'praise alongside a problem (often sarcasm)', evidence: praise });
  const priority = pickPriority(normalized, p1, entities.delayMinutes, reasons);
  const signalCount = reasons.filter((reason) => reason.decision !== 'language').length;
  return {
    isIssue: true,
    category: finalCategory,
    priority,
    confidence: Math.min(0.95, 0.55 + 0.1 * signalCount),
    entities,
    language: language === 'und' ? 'en' : language,
    reasons,
  };
}

function pickCategory(text: string, problems: string[], reasons: Reason[]): Category {
  for (const category of CATEGORY_ORDER) {
    const hit = firstMatch(CATEGORY_RULES[category], text);
    if (!hit) continue;
    if (NEUTRAL_TOPICS.has(category) && problems.length === 0) continue;
    const evidence = NEUTRAL_TOPICS.has(category) ? [...hit.evidence, ...problems] : hit.evidence;
    reasons.push({ decision: 'category', rule: `keyword: ${hit.rule}`, evidence });
    return category;
  }
  return 'not_issue';
}

function pickPriority(text: string, p1: RuleHit | undefined, delayMinutes: number | null, reasons: Reason[]): Priority {
  if (p1) {
    reasons.push({ decision: 'priority', rule: `P1 safety or health: ${p1.rule}`, evidence: p1.evidence });
    return 'P1';
  }
  const p2 = firstMatch(P2_RULES, text);
  if (p2) {
    reasons.push({ decision: 'priority', rule: `P2 severe disruption: ${p2.rule}`, evidence: p2.evidence });
    return 'P2';
  }
  if (delayMinutes !== null && delayMinutes >= SEVERE_DELAY_MINUTES) {
    reasons.push({ decision: 'priority', rule: 'P2 severe disruption: delay of 3 hours or more', evidence: [`${delayMinutes} minutes`] });
    return 'P2';
  }
  reasons.push({ decision: 'priority', rule: 'P3 other issue', evidence: [] });
  return 'P3';
}

interface RuleHit {
  rule: string;
  evidence: string[];
}

function firstMatch(rules: KeywordRule[], text: string): RuleHit | undefined {
  for (const rule of rules) {
    const evidence = matchRule(rule, text);
    if (evidence.length > 0) return { rule: rule.name, evidence };
  }
  return undefined;
}
