import type { Category, Priority } from '#contracts/classification';

/**
 * The priority policy (issue #4): P1 for a safety or health risk whatever the category, P2 for
 * severe disruption, P3 for every other issue, P4 for a post that is not an issue. Rules, not the
 * model, decide it: a P1 must be explainable by the words that made it one, and must not move
 * when the model is retrained.
 */
export interface PriorityPolicy {
  /** A stated delay at least this long is severe disruption (P2), and as long on hold after a cancellation. */
  severeDelayMinutes: number;
  /** Extra words or phrases that make an issue P1 (matched whole, any case). */
  safetyTerms: readonly string[];
  /** Extra words or phrases that make an issue P2. */
  severeDisruptionTerms: readonly string[];
}

export const DEFAULT_PRIORITY_POLICY: PriorityPolicy = { severeDelayMinutes: 180, safetyTerms: [], severeDisruptionTerms: [] };

export interface PriorityRule {
  name: string;
  /**
   * Matched against lower-cased text (see matchPriorityRules), so written in lower case and
   * without the `i` flag: case-insensitive patterns cost V8 more to compile, and a cold start's
   * first delivery pays for compiling every rule (about 11 ms of a fresh process's first
   * 1,000-post batch). Configured terms keep `iu`: they may hold any letter.
   */
  pattern: RegExp;
  /** Strong enough to make a post an issue even when the model reads it as none. */
  makesIssue: boolean;
  /** Ignored after "no", "not", "nobody"... ("no one was hurt"). */
  negatable?: boolean;
}

/** Food and drink named in posts about falling ill after a meal. */
const FOOD = String.raw`(?:meals?|food|chicken|fish|beef|pork|pasta|rice|curry|salad|sushi|shrimp|prawns|seafood|eggs?|omelett?e|sandwich(?:es)?|wrap|burger|soup|cheese|snacks?|breakfast|dinner|lunch|milk|yogh?urt|fruit|water|drinks?|juice|coffee|tea)\b`;

/** Someone a threat or abuse can be aimed at (not "my loyalty", not "to deny boarding"). */
const PERSON = String.raw`(?:me|us|him|her|them|(?:my|our) (?:wife|husband|partner|son|daughter|kids?|child(?:ren)?|baby|mom|mother|dad|father|parents?|friends?|family|sister|brother|colleague)|an? (?:passenger|woman|man|girl|boy)|passengers|the crew|(?:a|the) flight attendant)\b`;

/** Parts of a body someone can hurt or burn. */
const BODY = String.raw`(?:back|neck|head|face|eyes?|ears?|nose|mouth|teeth|tooth|lips?|chin|shoulders?|arms?|elbows?|wrists?|hands?|fingers?|thumbs?|chest|ribs?|stomach|hips?|legs?|knees?|ankles?|feet|foot|toes?|skin|spine)\b`;

const CHILD = String.raw`(?:son|daughter|kid|kids|child|children|toddler|baby|infant|little one|minor|\d{1,2}\s?(?:yo|y\/o|yr old|yr-old|year old|-year-old))`;
const MOBILITY_AID = String.raw`(?:wheel ?chairs?|mobility (?:aids?|scooters?|devices?)|scooters?|walkers?|rollators?|crutches|power chairs?|prosthe\w*|car seats?|infant car seats?)`;

/** Children in a group someone else is in charge of: a school trip, a team, "40 other kids". */
const GROUP = String.raw`(?:\d+|other|school|a group of|group of|team of|class of|dozens of|bunch of) (?:other )?(?:kids|children|minors|students|teens|teenagers)\b`;

const CAR_SEAT = String.raw`(?:infant |baby |child'?s? |kids'? |toddler |booster )?car ?seats?`;
/** What goes wrong with a car seat: lost, held back, broken, or the family left without one. */
const CAR_SEAT_TROUBLE = String.raw`(?:lost|missing|misplaced|broken|broke|damaged|destroyed|crack\w*|snapped|sliced|ripped|torn|smashed|bent|nowhere|somewhere|gone|went to|on its way to|ended up in|never (?:came|arrived|showed|made it)|didn'?t (?:come|arrive|make it)|hasn'?t (?:come|arrived)|not (?:arrived|received|here|there|delivered)|still (?:no|not|waiting|don'?t have)|replacement|loaner|won'?t (?:give|return|release|deliver)|how (?:am i|are we|do i|do we|can i|can we)(?: supposed to| going to| gonna)?(?: drive| get| go)?)`;

/** "unsafe", "didn't feel safe", "isn't safe". */
const FELT_UNSAFE = String.raw`(?:unsafe|(?:didn'?t|don'?t|do not|did not|never) feel safe|(?:not|isn'?t|wasn'?t|aren'?t|weren'?t) safe)`;
/** What "unsafe" or "not safe" can be said of without anyone in danger: a website, a payment, a bag. */
const THINGS = String.raw`(?:web ?site|site|app|payments?|checkout|page|links?|e-?mails?|data|passwords?|(?:credit |debit )?cards?|card (?:details|info)|wi-?fi|log ?in|account|transactions?|luggage|bags?|suitcases?|belongings|valuables)`;

export const SAFETY_RULES: readonly PriorityRule[] = [
  {
    name: 'food poisoning',
    // Misspelt too ("fud poisining"); sick or ill from a named food or from eating; the symptoms beside a meal.
    pattern: new RegExp(
      String.raw`\bf(?:oo|u)d ?pois\w*|\b(?:got|get|gotten|been|was|were|am|is|are|fell|feel|felt|feeling)\s+(?:so\s+|really\s+|violently\s+|very\s+)?(?:sick|ill) (?:from|after|because of) (?:eating\b|(?:the|your|that|this|my|our|their) (?:\w+ )?${FOOD})` +
        String.raw`|\b(?:vomit\w*|throwing up|threw up|stomach bug|diarrh\w*|the runs)\b[^.!?]{0,40}\b(?:meal|food|ate|eating|${FOOD})\b|\b(?:gave|given) (?:me|us|him|her|them|my \w+|our \w+|(?:my|our|the) whole \w+) (?:diarrh\w*|food poisoning|the runs)`,
      'g',
    ),
    makesIssue: true,
  },
  {
    name: 'allergic reaction',
    pattern: /\b(?:al+erg?ic reaction|anaphyla\w*|(?:used|needed|had to use|gave (?:her|him|me)) (?:my|her|his|an|their) epi-?pen|(?:broke out|breaking out) in hives|throat (?:closing|swelling|swelled))\b/g,
    makesIssue: true,
  },
  {
    name: 'allergy',
    // Named on its own, an allergy or an epipen is a need ("can I bring my epipen?"), not a reaction.
    pattern: /\b(?:(?:severe|nut|peanut|tree nut|shellfish|sesame|gluten|dairy|egg|fish|food)\s+al+erg?(?:y|ies|ic)|#?foodal+erg\w*|al+erg?ic to|epi-?pens?)\b/g,
    makesIssue: false,
  },
  {
    name: 'medical need',
    pattern: /\b(?:insulin|medications?|meds|prescriptions?|cpap|oxygen concentrator|oxygen tank|portable oxygen|inhalers?|nebuli[sz]er|dialysis|chemo\w*|feeding (?:pump|tube)|epinephrine|seizures?|diabetic|heart condition|(?:legally )?blind(?! eyes?\b| spots?\b)|deaf(?! ears?\b)|pregnan\w*|medical (?:emergency|device|equipment|condition|supplies|bag))\b/g,
    makesIssue: false,
  },
  {
    name: 'injury or illness on board',
    // Figures of speech are not injuries: "hurt my feelings", "burnt by this airline", "bleeding money",
    // "almost had a heart attack at the fee", "a stroke of luck"; a suitcase wheel that "fell off" is baggage.
    pattern: new RegExp(
      String.raw`\b(?:(?<!insult to )injur(?:y|ies|ed)|bleeding(?! (?:money|cash|us|me|customers)\b)|concussion|stitches|burn(?:ed|t) (?:my|her|his|their|our) ${BODY}|` +
        String.raw`hurt (?:my|her|his|their|our) ${BODY}|(?:hurt|injured) (?:myself|herself|himself|themselves)|(?:got|was|were|is|are|been|being) (?:badly |seriously )?hurt|fell (?:on|down)|(?:cart|trolley) (?:hit|ran over|slammed)|` +
        String.raw`passed out|fainted|fainting|collapsed|unconscious|(?<!(?:almost|nearly) had an? |gave me an? |give me an? |giving me an? )heart attack|chest pains?|stroke(?! of\b)|asthma attack|can'?t breathe|` +
        String.raw`(?:very |so )?sick (?:kids?|child|children|baby|toddler)|throwing up|vomiting)\b`,
      'g',
    ),
    makesIssue: true,
    negatable: true,
  },
  {
    name: 'assault or harassment',
    // A threat to a person, not to a booking ("threatened to deny boarding"); abuse of a person, not
    // of a companion pass; attacked, not "felt attacked by that price increase".
    pattern: new RegExp(
      String.raw`\b(?:assault(?:ed|ing)?|harass(?:ed|ment|ing)|groped|grop(?:ing|e)|sexual(?:ly)? (?:assault\w*|harass\w*)|touched me|grabbed me|punched|(?<!(?:felt|feel|feeling) )attacked|` +
        String.raw`(?:verbally|physically|sexually) abus\w*|abused ${PERSON}|(?:i|we|he|she|they) (?:was|were|have been|had been|got|get) (?:abused|threatened|attacked)|abusive (?:passenger|man|woman|guy|drunk)|` +
        String.raw`threaten(?:ed|ing) (?:${PERSON}|to (?:hit|hurt|kill|punch|beat|stab|shoot|attack|harm))|threatening (?:behaviou?r|passenger|man|woman|guy)|` +
        String.raw`violent passenger|drunk passenger|stalk(?:ed|ing))\b`,
      'g',
    ),
    makesIssue: true,
    negatable: true,
  },
  {
    name: 'minor alone or stranded',
    pattern: new RegExp(
      String.raw`\b(?:unaccompanied minors?|(?:my|our) ${CHILD} (?:is |are |was |were |got |has been |have been )?(?:stranded|alone|left alone|left behind|lost|missing|put on the wrong flight|unattended)|i'?m a minor|${CHILD} (?:flying|travell?ing) (?:alone|unaccompanied|as an? um)|flying um)\b` +
        // "my kids' flight got cancelled and they're alone at the airport".
        String.raw`|\b(?:my|our) ${CHILD}\b[^.!?]{0,50}\b(?:(?:are|is|were|was|['’]re|stuck|left|stranded) (?:all )?alone|by themselves|by (?:him|her)self|on (?:their|his|her) own|unattended|unaccompanied)\b` +
        // Children stranded in a group ("stranded in DC until 3am with 40 other kids"); a parent
        // stranded with their own kids is severe disruption, not a child alone.
        String.raw`|\bstranded\b[^.!?]{0,60}\b${GROUP}|\b${GROUP}[^.!?]{0,30}\bstranded\b`,
      'g',
    ),
    makesIssue: false,
  },
  {
    name: 'young child seated away from parent',
    pattern: new RegExp(
      String.raw`\b${CHILD}\b[^.!?]{0,50}\b(?:rows? (?:away|apart|behind|ahead)|seated (?:away|apart|separately|alone|by (?:him|her)self)|sat (?:away|apart|alone)|separate(?:d)? (?:from|seats)|not (?:seated|sitting) (?:with|together|next to)|in (?:his|her|their) own row|alone in a row)|\b(?:seated|sat|put|sitting)(?: (?:me|us|him|her|them))? (?:away|apart|separately) from (?:my|our|their|her|his) ${CHILD}|\b(?:seat(?:ing)?|sitting|sat) an? ${CHILD} (?:alone|by (?:him|her)self|away from)|\bseat(?:ing)? an? ${CHILD} and (?:mom|mother|dad|father|parent) together`,
      'g',
    ),
    makesIssue: true,
  },
  {
    name: 'mobility aid missing or broken',
    pattern: new RegExp(
      String.raw`\b${MOBILITY_AID}\b[^.!?]{0,60}\b(?:lost|missing|broken|broke|damaged|destroyed|smashed|bent|cracked|never (?:came|arrived|showed)|not (?:there|at the gate|waiting)|didn'?t (?:come|arrive|make it)|hasn'?t (?:come|arrived)|no one|nobody|left)\b|\b(?:lost|broke|broken|damaged|destroyed|smashed|bent|misplaced)\b[^.!?]{0,30}\b${MOBILITY_AID}\b|\bno wheel ?chair\b|\b(?:left|stuck|stranded) on (?:the|a) (?:plane|aircraft)\b[^.!?]{0,40}\b(?:wheel ?chair|disabled|disability)\b`,
      'g',
    ),
    makesIssue: true,
  },
  {
    // A young child cannot be driven home without one: a car seat lost, held back or broken is a
    // child's safety. A car seat named in a question or a policy complaint ("can I bring a car
    // seat on board?", "weren't allowed to bring our car seat on") is not: trouble words must sit
    // in the same sentence.
    name: "child's car seat",
    pattern: new RegExp(
      String.raw`\b${CAR_SEAT}\b[^.!?]{0,80}\b${CAR_SEAT_TROUBLE}` +
        String.raw`|\b(?:${CAR_SEAT_TROUBLE}|no|without|w\/o|w\/out)\b[^.!?]{0,40}\b${CAR_SEAT}\b`,
      'g',
    ),
    makesIssue: false,
  },
  {
    name: 'health hazard on board',
    // Mould in the cabin people breathe for hours; mould on a meal is a food complaint unless someone fell ill.
    pattern: /\b(?:mou?ld (?:on|in|all over|under|growing (?:on|in)) (?:my|the|this|our|your) (?:flight|plane|aircraft|seats?|tray(?: table)?|cabin|walls?|windows?|vents?|blankets?|pillows?|headrest|armrest)|mou?ldy (?:seats?|cushions?|blankets?|pillows?|cabin|plane)|bed ?bugs (?:on|in) (?:the|my|our) (?:seat|plane|flight|cabin|blanket)|blood (?:on|all over) (?:the|my) seat|needles? (?:in|on|under) (?:the|my) seat)\b/g,
    makesIssue: true,
    negatable: true,
  },
  {
    // Hospitality as much as flights: what endangers a guest in a room, a pool or a shuttle.
    name: 'safety hazard at the hotel or on the ground',
    pattern: new RegExp(
      String.raw`\b(?:carbon monoxide|co (?:alarm|detector)|gas leak|smell(?:ed|s|ing)? (?:of )?gas\b|bed ?bugs?|(?:used )?(?:syringes?|needles?) (?:in|on|under|behind) (?:the|my|our) (?:bed|room|floor|sheets|pillow|couch|sofa|bathroom)|` +
        String.raw`fire (?:alarm|exit|door|escape)s?\b[^.!?]{0,40}\b(?:locked|blocked|chained|didn'?t work|not working|broken)|(?:locked|blocked|chained) (?:fire )?(?:exits?|stairwell)|` +
        String.raw`(?:driver|shuttle driver|pilot|captain) (?:was |is )?(?:clearly |obviously )?(?:drunk|intoxicated)|drunk (?:driver|shuttle driver|pilot|captain)|scalded|scalding (?:my|her|his|our|their) \w+|(?:nearly|almost) drown(?:ed|ing)?|drowning|` +
        String.raw`(?:walked|came|let (?:himself|herself|themselves)) in(?:to)? (?:my|our) room|stranger (?:in|entered|walked into|came into) (?:my|our) room|(?:gave|handed) (?:my|our) room key to)`,
      'g',
    ),
    makesIssue: true,
    negatable: true,
  },
  {
    name: 'aircraft safety',
    pattern: /\b(?:smoke (?:in|filled|coming)|smell(?:ed|s)? (?:of )?(?:burning|smoke|fuel)|burning smell|fumes|fuel leak|engine (?:fire|failure|problem|issue|noise|trouble)|engine (?:was |is |caught |on )+fire|caught fire|(?:fire|flames?|smoke) (?:coming )?(?:from|out of) (?:the )?(?:left |right )?engine|emergency landing|evacuat(?:ed|ion)|oxygen masks|keep(?:ing)? (?:your |their )?(?:customers|passengers|people) safe|safety (?:issue|concern|hazard|problem|violation)|door (?:seal|wouldn'?t close|opened)|severe turbulence)\b/g,
    makesIssue: true,
    negatable: true,
  },
  {
    // A person who felt in danger on a plane, in a room, in a shuttle; not a website or a bag
    // called unsafe ("your checkout page is not safe", "my bags aren't safe with you").
    name: 'felt unsafe',
    // Not after the thing ("your website is not safe", "bags aren't safe"), with up to two words
    // between that are not "and"/"but"; not before it ("unsafe website", "not safe to enter my card").
    // The look back comes after the words, so it runs only where they are: put first, it ran at
    // every position of every post, 3% of all the classifier's time.
    pattern: new RegExp(
      String.raw`\b${FELT_UNSAFE}\b(?<!\b${THINGS} (?:(?!and |but )[\w']+ ){0,2}${FELT_UNSAFE})` +
        String.raw`(?! (?:(?:to|for|on|with|in|using|at) (?:[\w']+ ){0,3})?${THINGS}\b)`,
      'g',
    ),
    makesIssue: true,
    negatable: true,
  },
];

/** "3 days", "a couple of days", "five days". */
const DAYS = String.raw`(?:\d+|two|three|four|five|six|seven|several|a few|a couple(?: of)?|couple(?: of)?) days`;
/** When the next flight goes, if that is tomorrow or later: "tomorrow", "sunday", "in 3 days", "2 days out". */
const DAY_OR_LATER = String.raw`(?:tomorrow|tmrw|tmr|(?:next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs)|next week|a week|the weekend|(?:in )?${DAYS}(?: (?:away|out|later|from now))?(?! ago)|(?:in )?(?:1[2-9]|[2-9]\d) (?:hours|hrs))`;

export const SEVERE_DISRUPTION_RULES: readonly PriorityRule[] = [
  {
    name: 'missed connection',
    // "missed my connection", "missed the DTW connection", "missed the conx", "going to miss the
    // last connection", "missed the last flight home", "our connecting flight had left".
    pattern: new RegExp(
      String.raw`\bmiss(?:ed|ing|) (?:my |our |the |a |his |her |their )?(?:(?:(?!this\b|that\b)[\w-]+ )?(?:connect(?:ion|ions|ing flights?)|conx|cnx)|onward flight|transfer)\b` +
        String.raw`|\bmiss(?:ed|ing|) (?:my |our |the )?last (?:[\w-]+ )?(?:flight|plane|connection|ferry|boat|train|hop)(?: out| home)?\b` +
        String.raw`|\b(?:connecting flight|connection)(?: (?:to|in|at|from) \w+)? (?:had |has )?(?:already )?(?:left|gone|departed)\b` +
        // "won't make my connection at this rate", "i did not make the connection"; a bag that
        // "didn't make the connection" is a baggage matter, so the past needs its "i" or "we".
        String.raw`|(?<!\b(?:bag|bags|luggage|suitcase|it)\s)\b(?:(?:i|we) (?:didn'?t|did not|couldn'?t|could not)|won'?t|will not|not going to|not gonna|never going to|can'?t) make (?:my|our|the) (?:\w+ )?(?:connection|connecting flight)\b` +
        String.raw`|\b(?:watched|watching|saw) (?:my|our) (?:connection|connecting flight)\b`,
      'g',
    ),
    makesIssue: false,
  },
  {
    // A day lost at the airport is a delay of three hours or more however it is told.
    name: 'delayed all day',
    pattern: new RegExp(
      String.raw`\b(?:delayed|delays) all (?:day|night|evening|afternoon)\b|\bstuck (?:in|at) (?:the )?\w+(?: airport)? all day\b|\b(?:all|the (?:entire|whole)) day (?:in|at) (?:the )?(?:\w+ )?(?:airport|terminal|gate)\b`,
      'g',
    ),
    makesIssue: false,
    negatable: true,
  },
  {
    name: 'stranded overnight',
    pattern: new RegExp(
      String.raw`\b(?:stranded|(?:stuck|trapped)\b[^.!?]{0,30}\b(?:overnight|for the night|all night|until tomorrow|(?:for )?(?:\d+|two|three|four|several) (?:days|nights))|overnight (?:at|in) (?:the )?\w+ airport|overnight (?:at|in) the (?:airport|terminal)|` +
        String.raw`(?:sleep|sleeping|slept|spend the night|spent the night|spending the night) (?:at|in|on) (?:the )?(?:airport|terminal|floor|gate|[a-z]{3}\b(?= (?:airport|because|thanks|after|tonight|again)|[.!,]|$))|` +
        String.raw`no hotel(?:s| rooms?| vouchers?| accommodations?)?\b(?! (?:shuttle|points|needed|booking|reservation|wifi|breakfast|pool|gym|staff))|night in the terminal|nowhere to (?:sleep|stay)|(?:all (?:the )?)?hotels(?: (?:nearby|around|in town|near the airport))? (?:are |were )?(?:all )?(?:sold out|full(?! of)|booked up)|no rooms? anywhere|(?:every|each) hotel (?:is |was )?(?:full(?! of)|sold out|booked up)|` +
        String.raw`(?:sleep|sleeping|slept) (?:on|in) (?:a|an|the) (?:bench|(?:airport|terminal|gate) (?:chairs?|floor))|delayed (?:overnight|(?:until|till|til|to) (?:tomorrow|tmrw|the next day))|overnight delay|` +
        // A hotel the traveller must find or pay for themselves: "hotel on me", "go find a hotel",
        // "hotel at my own cost"; or that nobody will give: "nobody will book a hotel", "they
        // won't give us a hotel", "ran out of hotel vouchers".
        String.raw`hotel (?:on me|on us|at (?:my|our) (?:own )?(?:expense|cost))|(?:find|book|pay for) (?:a |our own |my own |any )hotel|nowhere to go|` +
        String.raw`(?:no(?:body| one) (?:will|would|can|could)|won'?t|wouldn'?t|will not|would not|refus(?:ed|es|e) to|didn'?t|did not) (?:book|cover|pay for|give|offer|provide)(?: (?:me|us|her|him|them))? (?:a |any |the |our )?hotel(?:s| rooms?| vouchers?)?(?! (?:upgrade|points|discount|rate|shuttle|booking|breakfast))|` +
        String.raw`ran out of (?:hotel )?(?:rooms|hotel vouchers)|` +
        // The second day of it: "day 3 in denver after a cancellation", "day 2: stuck in chicago", "day 2 of trying to leave bwi".
        String.raw`day (?:[2-9]|two|three|four|five)\b[^.!?]{0,40}\b(?:stuck|stranded|(?:trying|attempting) to (?:leave|get (?:home|out))|after (?:a|the|our|my) cancel\w*))\b`,
      'g',
    ),
    makesIssue: false,
    negatable: true,
  },
  {
    name: 'cancelled without rebooking',
    pattern: new RegExp(
      String.raw`\b(?:no rebooking|not (?:been |being |getting )?rebook(?:ed|ing)?|no(?:body| one)(?: is| was| will| has| can| wants to| seems to)? (?:help(?:ing)? (?:me |us )?)?rebook\w*|(?:won'?t|can'?t|cannot|couldn'?t|didn'?t|wouldn'?t|refus\w* to|unable to|impossible to|no way to|no option to) (?:get )?(?:me |us )?rebook\w*|(?:have|has)n'?t (?:been )?rebooked|no (?:alternative|other|replacement) (?:flight|option)s?|no alternatives? (?:was |were )?(?:offered|available|given|provided)|no way (?:home|to get home))\b` +
        // The next flight tomorrow or later: "next available is sunday", "the next flight with
        // seats is in 4 days", "rebooked for 3 days from now", "no seats til tmrw", "nothing til friday".
        String.raw`|\b(?:next|earliest|replacement|new|only)(?<!\b(?:my|our|your) next) (?:(?:available|possible|direct|rebooked|open) )?(?:[a-z]{2} )?(?:flights?|seats?|one|options?|departure|rebook\w*|booking|available|they have)(?:(?: (?!is\b|was\b)[\w\/]+){0,4}? (?:is|was|are|were|would be|will be|isn'?t|wasn'?t|they have|they could find|they can offer|u can offer|you can offer|i can get|i could get|offered is))?(?: not| now)?(?: (?:until|till|til|on|for|in))? ${DAY_OR_LATER}\b` +
        String.raw`|\b(?:rebooked|rebooking|put|offered|offers?|offering|moved|giving|gave)(?: me| us)?(?: on| for| to)?(?: a| the)?(?: flight| seat)? (?:in )?${DAYS} (?:later|from now|out|away)\b` +
        String.raw`|\brebook\w* (?:(?!times\b|last\b)\w+ ){0,3}?(?:in |for )?(?:${DAYS}(?: (?:later|out|from now|away))?(?! ago)|(?:1[2-9]|[2-9]\d) (?:hours|hrs))\b|\b${DAYS} (?:until|till|til|before) the next (?:one|flight|seat)\b` +
        String.raw`|\b(?:offered|given|gave (?:me|us)|only (?:get|option is|alternative is)) (?:a |an )?(?:seat (?:on )?(?:a )?)?(?:flight|seat) (?:on |in )?${DAY_OR_LATER}\b` +
        String.raw`|\b(?:full|sold out|booked up|fully booked) (?:for|til|till|until) ${DAY_OR_LATER}\b|\bno (?:more |other )?(?:flights?|seats?)(?: home| out)?(?: available)? (?:tonight|today)\b|\bno more (?:today|tonight)\b|\bno flights? available\b|\bno availability\b|\bstill (?:have )?no (?:new |other )?(?:seat|flight)\b` +
        String.raw`|\b(?:every|all(?: the)?) (?:other )?(?:flights?|seats?)(?: (?!is\b|are\b|was\b|were\b)\w+){0,3}? (?:is|are|was|were) (?:also )?(?:sold out|full(?! of)|fully booked|booked up)\b` +
        // "the earliest is friday", "they can't get me home till sunday", "told to come back in 2 days".
        String.raw`|\bearliest (?:is|was|would be|they have|they can do|you can do|(?:they|you) (?:can|could) (?:get|offer) (?:me|us))(?: not)?(?: (?:until|till|til|on|in))? ${DAY_OR_LATER}\b` +
        String.raw`|\b(?:can'?t|cannot|couldn'?t|won'?t|no(?:body| one) can) get (?:(?:me|us|her|him|them)(?: (?:home|out|there|back|to \w+))?|home|out|back) (?:until|till|til|before) ${DAY_OR_LATER}\b|\bcome back in ${DAYS}\b` +
        // Left to find a way alone: "said find your own flight", "can't find me a seat", "every flight out is gone for tonight".
        String.raw`|\b(?:find|book|get) (?:your|my|our|their) own (?:flight|way (?:home|back|there))\b|\b(?:can'?t|cannot|couldn'?t|won'?t|unable to) (?:find|get) (?:me|us) (?:a seat|a flight|on (?:anything|a flight|another flight))\b` +
        String.raw`|\b(?:all|every(?:thing)?)\b[^.!?]{0,30}?\b(?:are|is|were|was) (?:all )?gone (?:for (?:the night|tonight|today)|tonight|today)\b` +
        // Cancelled again: "then cancelled the rebooked one", "3rd flight cancelled today", "two cancellations" (not "in a month").
        String.raw`|\bcancel\w* (?:my|our|the) (?:rebooked|new|replacement) (?:one|flight)\b|\b(?:(?:[2-9]|two|three|four|second|third|fourth|2nd|3rd|4th) (?:separate |straight )?(?:cancellations|flights? cancell?ed)|cancell?ed (?:[2-9]|two|three|four) flights)\b(?![^.!?]{0,30}\b(?:weeks?|months?|years?)\b)` +
        // Bumped from the last flight of the day: the same night with no way on.
        String.raw`|\b(?:bumped|denied boarding|offloaded|kicked)\b[^.!?]{0,30}\b(?:off |from |on )?the last flight\b` +
        // Only a refund: "the only option offered is a refund", "the app only offers a refund", "nothing but a refund".
        String.raw`|\bonly (?:option|alternative)(?: offered| given)? is (?:a )?refund\b|\brefund (?:is the )?only option\b|\bonly (?:offers?|offered|offering|giving|gave)(?: me| us)? (?:a )?refunds?\b|\bnothing but a refund\b|\bno agents? (?:\w+ ){0,3}?to rebook\b` +
        String.raw`|\bno (?:new |more |later |other )?(?:alternatives?|flights?|seats?|rebook\w*|options?|availability)(?: (?:home|out|available))?(?: (?!until\b|till\b|til\b|before\b)[\w']+){0,4}? (?:for|til|till|until|before) ${DAY_OR_LATER}\b` +
        String.raw`|\b(?:nothing|anything)(?: (?:else|back|out|home))?(?: (?:was|is|were))?(?: available)?(?: (?:to|from|on|out of) \w+)? (?:(?:until|till|til|before) ${DAY_OR_LATER}|for (?:${DAYS}|a week))\b|\bnothing available this week\b` +
        // Nothing offered: "the app won't let me rebook", "we haven't been offered any alternative".
        String.raw`|\b(?:won'?t|doesn'?t|didn'?t|wouldn'?t) let (?:me|us) rebook\w*|(?:\bnot|\b(?:haven|hasn|wasn|weren|didn|don|doesn|hadn)'?t) (?:been )?(?:offered|given) (?:any |an |a )?(?:alternatives?|new flight|rebooking|options?)\b|\bno options? available\b` +
        String.raw`|\bno new (?:flight|booking|seat) (?:was |has been |were )?(?:offered|given|provided)\b|\bstill (?:don'?t|do not|doesn'?t|does not) have a new (?:booking|flight|seat)\b|\b(?:shows?|showed|showing|offers?|offered|gives?|gave) (?:me |us )?no (?:options?|alternatives?|flights?|rebooking)\b`,
      'g',
    ),
    makesIssue: false,
  },
];

/**
 * Words that say a cancelled flight was not replaced, but only of a cancellation: "cancelled with
 * no alternative", "offering literally nothing", "there's no later flight today" (a lost bag "and
 * offered nothing", or "on a later flight when there is no later flight today", is no such thing).
 */
const NOTHING_OFFERED_AFTER_CANCELLATION: PriorityRule = {
  name: 'cancelled without rebooking',
  pattern: /\b(?:(?:with|and|offering|offered|gave (?:me|us)|given) no alternatives?|(?:offer(?:ed|ing|s)?|gave|giving|given)(?: (?:me|us))? (?:literally |absolutely |just )?nothing|no later (?:flights?|seats?)(?: home| out)?(?: available)? (?:tonight|today))\b/g,
  makesIssue: false,
};
const CANCELLATION_ONLY_RULES = [NOTHING_OFFERED_AFTER_CANCELLATION];

/** A negation in the same clause, up to two words before a match: "no one was hurt". Not across punctuation. */
const NEGATION_BEFORE = /\b(?:no|not|nobody|no one|none|never|without|wasn'?t|weren'?t|isn'?t|didn'?t)\b(?:\s+[^\s.,;:!?]+){0,2}\s*$/;
/** "Never felt so", "never been so": more, not less ("I have never felt so unsafe"). */
const INTENSIFIED = /\bnever (?:felt|been|seen|had|experienced) (?:so|such|more|a worse)\b/;

/**
 * Whether the match at `index` is negated: "no one was hurt", but not "No joke, smoke in the
 * cabin" or "Never again. Groped by...", nor "never felt so unsafe".
 */
function negated(text: string, index: number, length: number): boolean {
  const start = Math.max(0, index - 30);
  return NEGATION_BEFORE.test(text.slice(start, index)) && !INTENSIFIED.test(text.slice(start, index + length));
}

export interface PriorityHit {
  rule: string;
  evidence: string[];
  makesIssue: boolean;
}

/** The first rule of `rules` that matches `text` (lower-cased, entities decoded), with its words. */
export function matchPriorityRules(rules: readonly PriorityRule[], text: string): PriorityHit | undefined {
  for (const rule of rules) {
    // Each rule is tested on its own first (most posts match none, and a test costs less than
    // matchAll). One pattern of all the rules' alternatives would scan a post once, but V8 takes
    // far longer than linearly to compile a long alternation: about 190 ms of a cold start's first
    // 1,000 posts for the safety rules in one pattern, against about 40 ms for them one by one,
    // and the steady cost per post came out the same within noise.
    rule.pattern.lastIndex = 0;
    const matches = rule.pattern.test(text);
    // A `g` pattern's test moves lastIndex, and matchAll would start from there.
    rule.pattern.lastIndex = 0;
    if (!matches) continue;
    const evidence: string[] = [];
    for (const match of text.matchAll(rule.pattern)) {
      if (rule.negatable && negated(text, match.index, match[0].length)) continue;
      if (!evidence.includes(match[0])) evidence.push(match[0]);
    }
    if (evidence.length > 0) return { rule: rule.name, evidence, makesIssue: rule.makesIssue };
  }
  return undefined;
}

/** Phrases from the configuration as one whole-word, any-case rule. */
export function termRule(name: string, terms: readonly string[], makesIssue: boolean): PriorityRule | undefined {
  const words = terms.map((term) => term.trim()).filter(Boolean);
  if (words.length === 0) return undefined;
  const escaped = words.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
  return { name, pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'giu'), makesIssue };
}

export interface PriorityDecision {
  priority: Priority;
  rule: string;
  evidence: string[];
}

/**
 * Hours on the phone: "on hold for 3 hours", "6 hr hold time", "3 hrs 20 min on hold", "the 4th
 * hour on hold" (three hours past). Lower case, as the rules read text.
 */
const HOLD = new RegExp(
  String.raw`\b(?:on hold|holding|hold time|hold music)\b[^.!?\d]{0,16}?(?<after>\d{1,2}(?:\.\d)?)\s*\+?\s*(?:hours?|hrs?|h)\b` +
    String.raw`|\b(?<before>\d{1,2}(?:\.\d)?)\s*\+?\s*(?:hours?|hrs?|h)\b(?:\s*(?:and\s+)?\d{1,2}\s*(?:minutes?|mins?|m)\b)?[^.!?\d]{0,12}?\b(?:on hold|hold time|holding|on the phone)\b` +
    String.raw`|\b(?<ordinal>\d{1,2})(?:st|nd|rd|th) hour (?:on hold|of (?:being on )?hold|on the phone)\b`,
  'g',
);

function longestHold(text: string): { minutes: number; words: string } | null {
  let longest: { minutes: number; words: string } | null = null;
  HOLD.lastIndex = 0;
  for (let match = HOLD.exec(text); match !== null; match = HOLD.exec(text)) {
    const { after, before, ordinal } = match.groups!;
    const minutes = ordinal !== undefined ? (Number(ordinal) - 1) * 60 : Number(after ?? before) * 60;
    if (longest === null || minutes > longest.minutes) longest = { minutes, words: match[0] };
  }
  return longest;
}

/** P2 and P3 for an issue that no safety rule marked P1; `rules` are SEVERE_DISRUPTION_RULES and any configured. */
export function disruptionPriority(
  text: string,
  category: Category,
  delayMinutes: number | null,
  policy: PriorityPolicy,
  rules: readonly PriorityRule[] = SEVERE_DISRUPTION_RULES,
): PriorityDecision {
  const hit = matchPriorityRules(rules, text);
  if (hit) return { priority: 'P2', rule: `P2 severe disruption: ${hit.rule}`, evidence: hit.evidence };
  // A wait only counts for a flight that is late or cancelled; "on hold for 3 hours" is not one.
  if ((category === 'delay' || category === 'cancellation') && delayMinutes !== null && delayMinutes >= policy.severeDelayMinutes) {
    return { priority: 'P2', rule: `P2 severe disruption: delay of ${policy.severeDelayMinutes} minutes or more`, evidence: [`${delayMinutes} minutes`] };
  }
  if (category === 'cancellation') {
    const nothing = matchPriorityRules(CANCELLATION_ONLY_RULES, text);
    if (nothing) return { priority: 'P2', rule: `P2 severe disruption: ${nothing.rule}`, evidence: nothing.evidence };
    // And hours on hold after a cancellation are a traveller who cannot get rebooked.
    const hold = longestHold(text);
    if (hold !== null && hold.minutes >= policy.severeDelayMinutes) {
      return { priority: 'P2', rule: `P2 severe disruption: cancelled, and on hold ${policy.severeDelayMinutes} minutes or more`, evidence: [hold.words] };
    }
  }
  return { priority: 'P3', rule: 'P3 other issue', evidence: [] };
}
