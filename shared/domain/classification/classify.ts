import type { Category, Classification, Reason } from '#contracts/classification';
import type { PostToClassify } from '../ports.ts';
import { extractEntities } from './entities.ts';
import { detectLanguage } from './language.ts';
import { predict, tokenContributions, type ClassifierModel, type LinearModel } from './linear-model.ts';
import {
  DEFAULT_PRIORITY_POLICY,
  disruptionPriority,
  matchPriorityRules,
  SAFETY_RULES,
  SEVERE_DISRUPTION_RULES,
  termRule,
  type PriorityDecision,
  type PriorityPolicy,
  type PriorityRule,
} from './priority.ts';
import { decodeHtmlEntities, extractFeatures, normalizeForModel, tokenize, type Token } from './text-features.ts';

export interface ClassifierSettings {
  /** Languages the model covers; an issue in any other language goes to a person (queue `triage`). */
  coveredLanguages: readonly string[];
  priority: PriorityPolicy;
  /**
   * The model's probability of an issue from which a post is one (default 0.5): lower finds more
   * complaints and takes more posts that are none for complaints.
   */
  issueThreshold?: number | undefined;
  /** The zone a "since 6am" is read in when a post's time is given in UTC (entities.ts). */
  timeZone?: string | undefined;
}

/** Words shown as evidence for one decision: the few that pushed it most. */
const EVIDENCE_WORDS = 4;
const MIN_CONTRIBUTION = 0.02;
const PLACEHOLDERS = new Set(['xurl', 'xuser']);
/** The model's probability of an issue from which a post is one, unless configured otherwise. */
const DEFAULT_ISSUE_THRESHOLD = 0.5;
/** The safety head's probability from which an issue is P1 without a rule naming it. */
const SAFETY_THRESHOLD = 0.5;
/**
 * A strong safety rule (food poisoning, injury, assault...) makes a post an issue the model read
 * as none, unless the model was this sure it is none: "thanks for getting my son, an unaccompanied
 * minor, home safely" names a safety topic and is still praise.
 */
const SAFETY_OVERRIDE_FLOOR = 0.05;
/**
 * A medical need, an allergy or a child travelling alone is not a complaint by itself ("can I fly
 * with my insulin?"), but where the model gives the post even this much chance of being one, a
 * person should read it: missing a P1 costs far more than reading a question.
 */
const SAFETY_NEED_FLOOR = 0.25;

/**
 * Classifies with the trained linear model and the priority rules: `classify` for one post, as
 * the webhook and the CLI do for each post. Built once per cold start (the model, the rules from
 * the configuration), then pure: same post, same answer.
 */
export function createPostClassifier(classifierModel: ClassifierModel, settings: ClassifierSettings) {
  const model = classifierModel.category;
  const categories = model.header.labels;
  const notIssue = categories.indexOf('not_issue');
  const safetyLabel = classifierModel.safety.header.labels.indexOf('safety');
  if (notIssue < 0) throw new Error('the model has no not_issue category: regenerate it with npm run train');
  const policy = { ...DEFAULT_PRIORITY_POLICY, ...settings.priority };
  const safetyRules: readonly PriorityRule[] = [...SAFETY_RULES, termRule('configured safety terms', policy.safetyTerms, true) ?? []].flat();
  const severeRules: readonly PriorityRule[] = [...SEVERE_DISRUPTION_RULES, termRule('configured severe-disruption terms', policy.severeDisruptionTerms, false) ?? []].flat();
  const covered = new Set(settings.coveredLanguages);
  const issueThreshold = settings.issueThreshold ?? DEFAULT_ISSUE_THRESHOLD;
  if (!(issueThreshold > 0 && issueThreshold < 1)) throw new RangeError(`issueThreshold must lie between 0 and 1 (got ${issueThreshold})`);
  // A threshold other than the default is named in the reasons, so an agent reading "45% an issue" on a ticket knows why.
  const thresholdNote = issueThreshold === DEFAULT_ISSUE_THRESHOLD ? '' : ` (an issue from ${percent(issueThreshold)})`;
  // Below both the threshold and SAFETY_OVERRIDE_FLOOR a post stays no issue whatever the safety
  // rules and head find (the branches below), so neither runs. (Config keeps the threshold at 0.05
  // or more; a direct caller may set it lower.)
  const sureNone = Math.min(issueThreshold, SAFETY_OVERRIDE_FLOOR);

  return function classify(post: PostToClassify): Classification {
    const entities = extractEntities(post.text, post.createdAt, settings.timeZone);
    const language = detectLanguage(post.text, post.languageHint);
    const reasons: Reason[] = [{ decision: 'language', rule: language.rule, evidence: language.evidence }];
    if (language.language !== 'und' && !covered.has(language.language)) {
      reasons.push({ decision: 'issue', rule: `language "${language.language}" is not covered by the model: a person triages it`, evidence: language.evidence });
      return { isIssue: true, category: 'other_complaint', priority: 'P3', confidence: 0.5, entities, language: language.language, reasons };
    }

    // Tokens as written (digits kept) for evidence; the features read their digits as 0.
    const shown = tokenize(normalizeForModel(post.text));
    const words = wordsOf(shown);
    if (words.words.length === 0) {
      // "@brand" alone, or a link: the model would answer from its bias alone, and an agent could
      // not be shown a single word behind the decision.
      reasons.push({ decision: 'issue', rule: 'nothing to read: no words beyond mentions and links', evidence: [] });
      return { isIssue: false, category: 'not_issue', priority: 'P4', confidence: 1, entities, language: resolved(language.language), reasons };
    }
    const features = extractFeatures(shown, model.header.buckets);
    const probabilities = predict(model, features);
    let best = -1;
    for (let index = 0; index < categories.length; index++) {
      if (index !== notIssue && (best < 0 || probabilities[index]! > probabilities[best]!)) best = index;
    }
    const issueProbability = 1 - probabilities[notIssue]!;
    const notAnIssue = (): Classification => {
      reasons.push({ decision: 'issue', rule: `model: ${percent(probabilities[notIssue]!)} not an issue${thresholdNote}`, evidence: evidence(model, features, words, notIssue, best) });
      return { isIssue: false, category: 'not_issue', priority: 'P4', confidence: round(probabilities[notIssue]!), entities, language: resolved(language.language), reasons };
    };
    if (issueProbability < sureNone) return notAnIssue();
    let isIssue = issueProbability >= issueThreshold;
    const folded = decodeForRules(post.text);
    const ruled = matchPriorityRules(safetyRules, folded);
    const safetyProbability = predict(classifierModel.safety, features)[safetyLabel]!;
    const safety =
      ruled ??
      (safetyProbability >= SAFETY_THRESHOLD
        ? {
            rule: `model: ${percent(safetyProbability)} a safety or health risk`,
            evidence: evidence(classifierModel.safety, features, words, safetyLabel, 1 - safetyLabel),
            makesIssue: false,
          }
        : undefined);

    if (isIssue) {
      reasons.push({ decision: 'issue', rule: `model: ${percent(issueProbability)} an issue${thresholdNote}`, evidence: evidence(model, features, words, best, notIssue) });
    } else if (safety?.makesIssue) {
      // The model gave it at least SAFETY_OVERRIDE_FLOOR (sureNone returned the rest).
      isIssue = true;
      reasons.push({ decision: 'issue', rule: `safety or health rule "${safety.rule}" (the model alone said ${percent(issueProbability)})`, evidence: safety.evidence });
    } else if (ruled && issueProbability >= SAFETY_NEED_FLOOR) {
      isIssue = true;
      reasons.push({ decision: 'issue', rule: `safety or health need "${ruled.rule}" in a possible complaint (the model said ${percent(issueProbability)} an issue)`, evidence: ruled.evidence });
    } else {
      return notAnIssue();
    }

    const category = categories[best]! as Exclude<Category, 'not_issue'>;
    let runnerUp = -1;
    for (let index = 0; index < categories.length; index++) {
      if (index !== notIssue && index !== best && (runnerUp < 0 || probabilities[index]! > probabilities[runnerUp]!)) runnerUp = index;
    }
    const categoryShare = probabilities[best]! / Math.max(issueProbability, 1e-9);
    reasons.push({ decision: 'category', rule: `model: ${category} (${percent(categoryShare)} of the issue categories)`, evidence: evidence(model, features, words, best, runnerUp) });

    const priority: PriorityDecision = safety
      ? { priority: 'P1', rule: `P1 safety or health: ${safety.rule}`, evidence: safety.evidence }
      : disruptionPriority(folded, category, entities.delayMinutes, policy, severeRules);
    reasons.push({ decision: 'priority', rule: priority.rule, evidence: priority.evidence });
    for (const [name, values] of Object.entries(entities)) {
      if (Array.isArray(values) && values.length > 0) reasons.push({ decision: 'entity', rule: name, evidence: values });
    }
    return {
      isIssue: true,
      category,
      priority: priority.priority,
      confidence: round(Math.min(issueProbability, categoryShare)),
      entities,
      language: resolved(language.language),
      reasons,
    };
  };
}

export type PostClassifier = ReturnType<typeof createPostClassifier>;

/**
 * The words a decision can name, each once: token `i` is word `slot[i]` (-1 for a mention or a
 * link). Worked out once per post for all its decisions.
 */
interface Words {
  words: string[];
  slot: Int32Array;
}

function wordsOf(shown: readonly Token[]): Words {
  const words: string[] = [];
  const slot = new Int32Array(shown.length);
  const seen = new Map<string, number>();
  for (let index = 0; index < shown.length; index++) {
    const token = shown[index]!;
    if (PLACEHOLDERS.has(token.text)) {
      slot[index] = -1;
      continue;
    }
    const word = token.negated ? `not ${token.text}` : token.text;
    let at = seen.get(word);
    if (at === undefined) {
      at = words.length;
      seen.set(word, at);
      words.push(word);
    }
    slot[index] = at;
  }
  return { words, slot };
}

/**
 * The words (as written, lower-cased) that pushed `category` ahead of `against` the most. A word
 * said twice is shown once, at its strongest: "bag, bag, baggage, claim" told an agent less than
 * "bag, baggage, claim" and the next word. (Adding its pushes up would put a repeated "my" ahead
 * of the words that matter.)
 */
function evidence(model: LinearModel, features: ReturnType<typeof extractFeatures>, { words, slot }: Words, category: number, against: number): string[] {
  if (against < 0) return [];
  const contributions = tokenContributions(model, features, slot.length, category, against);
  const strongest = new Float64Array(words.length).fill(-Infinity);
  for (let index = 0; index < slot.length; index++) {
    const at = slot[index]!;
    if (at >= 0 && contributions[index]! > strongest[at]!) strongest[at] = contributions[index]!;
  }
  // The few largest, kept in reading order: a partial selection, not a sort of every word.
  const top: number[] = [];
  for (let at = 0; at < words.length; at++) {
    if (strongest[at]! < MIN_CONTRIBUTION) continue;
    if (top.length < EVIDENCE_WORDS) top.push(at);
    else {
      let weakest = 0;
      for (let place = 1; place < top.length; place++) if (strongest[top[place]!]! < strongest[top[weakest]!]!) weakest = place;
      if (strongest[at]! > strongest[top[weakest]!]!) top[weakest] = at;
    }
  }
  return top.sort((a, b) => a - b).map((at) => words[at]!);
}

/** The text the rules read: entities decoded, lower case, elongation squeezed, one space. */
function decodeForRules(text: string): string {
  return decodeHtmlEntities(text)
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/\s+/g, ' ');
}

/** `und` is reported as English: the model read it as English and it was not sent to triage. */
const resolved = (language: string) => (language === 'und' ? 'en' : language);
const round = (value: number) => Math.round(value * 1000) / 1000;
const percent = (value: number) => `${Math.round(value * 100)}%`;
