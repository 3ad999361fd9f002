/**
 * Words whose tone alone says "complaint" or "praise", written for redress (not taken from any
 * data set). The model reads each as itself, and also as one shared feature per list ("a
 * complaint word", "a praise word"): the shared weight is learned from every listed word the
 * corpus uses, so a listed word the corpus never used ("pathetic", "livid") still counts. Words
 * are as the tokenizer leaves them: lower case, apostrophes dropped, letters repeated three
 * times or more squeezed to two, so "sooo" is "soo". Only tone: topic words (delayed, bag,
 * meal) are the model's own business.
 */

const COMPLAINT = `
  abysmal absurd abuse annoyed annoying appalled appalling atrocious awful awfully
  bad badly bullshit bs
  clueless clown clowns crap crappy crazy cringe crummy
  dammit damn damned dang disappointed disappointing disappointment disaster disastrous disgrace disgraceful disgusted disgusting
  displeased dissatisfied dreadful dumb
  embarrassing embarrassed epic enraged exhausted exhausting
  fail failed failing fails failure fiasco fml frustrated frustrating frustration fuck fucked fucking furious
  garbage ghastly gross grr grrr
  hassle hate hated hateful hates horrendous horrible horribly hostile humiliated humiliating
  idiot idiotic idiots ignored ignoring incompetence incompetent inconsiderate inconvenience inconvenienced inexcusable insane
  insult insulted insulting irate irritated irritating
  joke jokes joking
  lame lazy liar liars lied lies livid lousy
  mad mess messed mediocre miserable misery mislead misleading misled mistreated
  nightmare nonsense
  outrage outraged outrageous overpriced
  pathetic pissed poor poorly
  ridic ridiculous rip ripoff robbed rubbish rude rudely rudest ruin ruined ruining ruins
  sad scam screw screwed screwing shambles shame shameful shit shitty shocking sick sickening smh
  sloppy stupid suck sucked sucks sucky
  terrible terribly trash
  ugh ugly unacceptable unbelievable uncomfortable unfair unfortunately unfriendly unhappy unhelpful unorganized unprofessional
  unreal unreliable unresponsive upset upsetting useless
  waste wasted wasting worse worst wtf wth
`;

const PRAISE = `
  amazing appreciate appreciated awesome
  best beautiful bravo brilliant
  champ champs congrats congratulations cool courteous
  delight delighted delightful
  easy enjoy enjoyed excellent excited exceptional
  fab fabulous fantastic fave favorite favourite fun
  glad gorgeous grateful great
  happy helpful hero heroes
  impressed impressive incredible
  kind kudos
  love loved lovely loving
  nice
  outstanding
  perfect pleasant pleased pleasure props
  rock rocks rockstar rockstars
  smooth spectacular stellar superb
  thank thanks thankful thx ty
  wonderful wow
  yay
`;

/** Emoji and text emoticons (as the tokenizer spells them) that carry tone as plainly as a word does. */
const COMPLAINT_EMOJI = [':(', ':/', '😡', '😠', '🤬', '😤', '😒', '🙄', '😩', '😫', '😭', '😢', '😞', '😔', '😣', '😖', '👎', '💩', '🤦', '😑', '😐', '😾'];
const PRAISE_EMOJI = [':)', ':d', '😍', '❤', '😊', '😀', '😁', '😃', '😄', '🙌', '👍', '🎉', '💙', '💜', '💕', '😘', '🥰', '👏', '💯', '🙏', '☺', '😎'];

export type Tone = 'complaint' | 'praise';

const TONES = new Map<string, Tone>([
  ...toneWords('complaint').map((word) => [word, 'complaint'] as const),
  ...COMPLAINT_EMOJI.map((emoji) => [emoji, 'complaint'] as const),
  ...toneWords('praise').map((word) => [word, 'praise'] as const),
  ...PRAISE_EMOJI.map((emoji) => [emoji, 'praise'] as const),
]);

/** Every listed word of one tone, as the tokenizer spells it (emoji and emoticons apart). */
export function toneWords(tone: Tone): string[] {
  return (tone === 'complaint' ? COMPLAINT : PRAISE).split(/\s+/).filter(Boolean);
}

/** The tone a token carries on its own, if it is one of the listed words or emoji. */
export function toneOf(token: string): Tone | undefined {
  return TONES.get(token);
}

