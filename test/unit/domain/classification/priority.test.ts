import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRIORITY_POLICY,
  disruptionPriority,
  matchPriorityRules,
  SAFETY_RULES,
  SEVERE_DISRUPTION_RULES,
  termRule,
} from '#domain/classification/priority';

// The classifier lower-cases and decodes a post before these rules see it, so the posts here are lower case.

const PRAISE_AND_QUESTIONS = [
  'thank you for the lovely crew and smooth flight',
  'is flight dl45 on time today?',
  'loved the meal, the chicken was great',
  'flight attendant was so helpful with my kids',
  'landed 10 minutes early, impressed!',
];

describe('the rule patterns', () => {
  it('are written for lower-cased text: no `i` flag, and no capital letter they would then never match', () => {
    for (const rule of [...SAFETY_RULES, ...SEVERE_DISRUPTION_RULES]) {
      expect(rule.pattern.flags, rule.name).not.toContain('i');
      // Escapes (\S, \W, \D...) are classes, not letters to match.
      expect(rule.pattern.source.replace(/\\./g, ''), rule.name).not.toMatch(/[A-Z]/);
    }
  });
});

describe('safety rules (P1)', () => {
  it.each([
    ['food poisoning', 'i got food poisoning from the chicken on flight 123'],
    ['food poisoning', 'my husband got violently sick after the meal on board'],
    ['allergic reaction', 'my daughter had an allergic reaction to the snack and the crew had no epipen'],
    ['allergy', "told them about my son's nut allergy and they served peanuts anyway"],
    ['medical need', 'my insulin was in the bag you lost'],
    ['medical need', 'they would not let me bring my cpap on board'],
    ['medical need', 'lost my luggage with all my medication inside'],
    ['injury or illness on board', 'the cart hit my knee and i was bleeding, no help from crew'],
    ['assault or harassment', 'i was groped by the man in 23c and the crew did nothing'],
    ['assault or harassment', 'a drunk passenger threatened us for the whole flight'],
    ['minor alone or stranded', 'my 15 year old is an unaccompanied minor and now stranded in denver'],
    ['minor alone or stranded', 'our son is stranded in chicago alone after the cancellation'],
    ['young child seated away from parent', 'my 4-year-old was seated 10 rows away from me'],
    ['young child seated away from parent', 'we were seated apart from our toddler and the gate agent shrugged'],
    ['mobility aid missing or broken', 'my wheelchair was not at the gate when we landed'],
    ['mobility aid missing or broken', 'my wheelchair arrived destroyed, third time this year'],
    ['mobility aid missing or broken', 'you destroyed my wheelchair in the hold'],
    ['aircraft safety', 'there was smoke in the cabin and we made an emergency landing'],
    ['minor alone or stranded', 'still stranded at the airport with 30 other kids from the school trip'],
    ["child's car seat", 'gate checked our infant car seat and it is nowhere to be found'],
    ["child's car seat", "it's been 3 days and no carseat, how do i drive my baby anywhere"],
    ['health hazard on board', 'there is mold on the tray table and the wall by my seat'],
  ])('%s: "%s"', (rule, post) => {
    const hit = matchPriorityRules(SAFETY_RULES, post);
    expect(hit?.rule).toBe(rule);
    expect(hit!.evidence.length).toBeGreaterThan(0);
    for (const words of hit!.evidence) expect(post).toContain(words);
  });

  it.each([
    ['food poisoning', 'got sick from the sushi in the lounge'],
    ['food poisoning', 'i got really ill after eating the chicken'],
    ['food poisoning', 'the hotel restaurant gave my whole family diarrhea'],
    ['food poisoning', 'fud poisining after the chiken curry, on the toilet for 2 days'],
    ['allergic reaction', 'she had an alergic reaction and we had to use her epipen'],
    ['allergy', 'my daughter is alergic to nutz and they gave her a snickers'],
    ['aircraft safety', 'heard a loud bang and the engine was on fire'],
    ['aircraft safety', 'flames coming out of the left engine'],
    ['aircraft safety', 'the engine caught fire on takeoff'],
    ['felt unsafe', 'i have never felt so unsafe on a plane'],
    ['felt unsafe', "the shuttle isn't safe, the driver was on his phone the whole way"],
    ['felt unsafe', 'lost my bag and felt unsafe at the hotel'],
    ['injury or illness on board', 'i hurt my back lifting the bag because no one helped'],
    ['assault or harassment', 'the flight attendant threatened me'],
    ['assault or harassment', 'i was abused, threatened and forced to move seats'],
    ['safety hazard at the hotel or on the ground', 'carbon monoxide alarm went off and the front desk ignored it'],
    ['safety hazard at the hotel or on the ground', 'smelled gas in our hotel room'],
    ['safety hazard at the hotel or on the ground', 'found a used syringe under the bed'],
    ['safety hazard at the hotel or on the ground', 'the fire alarm went off and the stairwell doors were locked'],
    ['safety hazard at the hotel or on the ground', 'the shuttle driver was clearly drunk'],
    ['safety hazard at the hotel or on the ground', 'bed bugs all over the room, bites everywhere'],
    ['safety hazard at the hotel or on the ground', 'a stranger walked into our room at 2am'],
    ['minor alone or stranded', "my kids' flight got cancelled and they're alone at the airport, they are 15 and 13"],
    ['minor alone or stranded', 'my kids are stuck alone in phoenix, they are 12 and 14'],
  ])('matches %s in other wording: "%s"', (rule, post) => {
    expect(matchPriorityRules(SAFETY_RULES, post)?.rule).toBe(rule);
  });

  it.each([
    ['no joke, smoke in the cabin on ua88', 'aircraft safety'],
    ['never again. groped by the guy in 22b and the crew shrugged', 'assault or harassment'],
  ])('does not carry a negation across punctuation: "%s"', (post, rule) => {
    expect(matchPriorityRules(SAFETY_RULES, post)?.rule).toBe(rule);
  });

  it.each([
    'crew ignored my request for a blanket, freezing',
    'the wheel fell off my suitcase, thanks baggage handlers',
    'gate agent threatened to deny boarding because my bag was 1kg over',
    'almost had a heart attack when i saw the baggage fee',
    'by a stroke of luck we made the connection',
    'you really hurt my feelings with that reply',
    'delays hurt our business',
    'burnt by this airline again',
    'bleeding money on rebooking fees',
    'my complaints have fallen on deaf ears',
    'staff just turned a blind eye',
    'felt attacked by that price increase',
    'abused my loyalty for years',
    'the coffee was scalding hot',
    'my flight attendant was on fire today, best service ever',
    'stranded in houston with my two kids and no hotel',
    'your website is not safe, it asked for my card twice',
    'not safe to enter my card details on your site',
    'unsafe website, do not book with them',
    "my bags aren't safe with your baggage handlers",
  ])('does not read a figure of speech, a parent with their own children, or a website or bag called unsafe as a safety risk: "%s"', (post) => {
    expect(matchPriorityRules(SAFETY_RULES, post)).toBeUndefined();
  });

  it('reads an epipen named on its own as a need, which does not make a post an issue by itself', () => {
    expect(matchPriorityRules(SAFETY_RULES, 'can i bring my epipen on board?')).toEqual({ rule: 'allergy', evidence: ['epipen'], makesIssue: false });
  });

  it('names every matching phrase of the rule as evidence, once each', () => {
    expect(matchPriorityRules(SAFETY_RULES, 'burning smell in the cabin, crew said it was fine. burning smell again and fumes on landing')).toEqual({
      rule: 'aircraft safety',
      evidence: ['burning smell', 'fumes'],
      makesIssue: true,
    });
  });

  it('lets a medical need or a stated allergy raise the priority without making a post an issue on its own', () => {
    expect(matchPriorityRules(SAFETY_RULES, 'do i need a letter to fly with my insulin?')?.makesIssue).toBe(false);
    expect(matchPriorityRules(SAFETY_RULES, 'can i pre-order a meal for my nut allergy?')?.makesIssue).toBe(false);
    expect(matchPriorityRules(SAFETY_RULES, 'my son had an allergic reaction to the snack')?.makesIssue).toBe(true);
    expect(matchPriorityRules(SAFETY_RULES, 'i got food poisoning from the chicken')?.makesIssue).toBe(true);
  });

  it.each([
    ['my son was injured when the cart hit him', 'nobody was injured, thankfully'],
    ['i was assaulted at the gate', 'no one was assaulted, it was just shouting'],
    ['there was smoke in the cabin', 'there was no smoke in the cabin, just steam'],
  ])('matches "%s" but not the negated "%s"', (stated, negated) => {
    expect(matchPriorityRules(SAFETY_RULES, stated)).toBeDefined();
    expect(matchPriorityRules(SAFETY_RULES, negated)).toBeUndefined();
  });

  it.each(['no one was hurt but the landing was rough', 'nobody was injured', 'i was not injured but my bag was'])('matches nothing in "%s"', (post) => {
    expect(matchPriorityRules(SAFETY_RULES, post)).toBeUndefined();
  });

  it.each(['adding insult to injury, the hotel was full too', 'mold on the bread roll, gross', 'my bag came back smelling like mold'])('does not read "%s" as a safety or health risk', (post) => {
    expect(matchPriorityRules(SAFETY_RULES, post)).toBeUndefined();
  });

  it("lets a child's car seat in trouble raise the priority without making a post an issue on its own", () => {
    expect(matchPriorityRules(SAFETY_RULES, 'the delivery driver won\'t give us the car seat until we return the loaner')).toMatchObject({ rule: "child's car seat", makesIssue: false });
  });

  it.each([
    'can i bring a car seat on board for my toddler?',
    'bag policy says one stroller or car seat free, we have two car seats. do i call?',
    "annoyed we weren't allowed to bring our approved car seat on board",
  ])('does not make P1 of a car seat named without trouble: "%s"', (post) => {
    expect(matchPriorityRules(SAFETY_RULES, post)).toBeUndefined();
  });

  it('matches an injury after a negation that is about something else ("no one came when she passed out")', () => {
    expect(matchPriorityRules(SAFETY_RULES, 'no one came when she passed out')?.rule).toBe('injury or illness on board');
  });

  it('matches a parent seated away from a young child when the parent is named ("they seated me away from my 3 year old")', () => {
    expect(matchPriorityRules(SAFETY_RULES, 'they seated me away from my 3 year old')?.rule).toBe('young child seated away from parent');
  });

  it.each(PRAISE_AND_QUESTIONS)('matches nothing in "%s"', (post) => {
    expect(matchPriorityRules(SAFETY_RULES, post)).toBeUndefined();
  });
});

describe('severe disruption rules (P2)', () => {
  it.each([
    ['missed connection', 'missed my connection in frankfurt because the first leg was late'],
    ['missed connection', 'missed our connecting flight, thanks a lot'],
    ['stranded overnight', 'stranded in denver overnight with two kids'],
    ['stranded overnight', 'sleeping at the airport tonight thanks to you'],
    ['cancelled without rebooking', 'flight cancelled and no alternative flight offered'],
    ['cancelled without rebooking', 'cancelled, and the next flight is not until tomorrow'],
    ['cancelled without rebooking', "next flight isn't until tomorrow, thanks for nothing"],
    ['cancelled without rebooking', 'my flight aa100 to jfk was cancelled and nobody is rebooking me'],
    ['cancelled without rebooking', 'cancelled at midnight and no one will rebook us'],
    ['cancelled without rebooking', "flight cancelled, the agent refused to rebook me on another airline"],
    ['cancelled without rebooking', "cancelled 6 hours ago and i still haven't been rebooked"],
    ['cancelled without rebooking', "you cancelled my flight and the app won't rebook me"],
    ['stranded overnight', 'stuck in den overnight because of your cancellation'],
    ['stranded overnight', 'spent the night at dfw'],
    ['stranded overnight', 'stuck in dallas for 2 days'],
    ['stranded overnight', 'stranded in houston with my two kids and no hotel'],
    ['cancelled without rebooking', "next flight out is on thursday, it's monday"],
    ['cancelled without rebooking', "couldn't put us on anything until sunday"],
    ['missed connection', 'missed the dtw connection, next flight 9am tmrw'],
    ['missed connection', "we're going to miss the last connection tonight because of the delay"],
    ['missed connection', 'missed the last flight home, sleeping on a bench'],
    ['missed connection', 'landed at 1am and our connecting flight to london had left'],
    ['stranded overnight', 'b6 1023 delayed till tomorrow morning, hunting for a hotel at 1am'],
    ['stranded overnight', 'nz 5 delayed overnight at lax'],
    ['stranded overnight', 'cancelled at 11pm and nowhere to sleep'],
    ['stranded overnight', 'my 70 year old dad is sleeping in a terminal chair'],
    ['stranded overnight', 'cancelled at 10pm and told me to go find a hotel. at my expense'],
    ['cancelled without rebooking', 'they cancelled us and the next seat is sunday'],
    ['cancelled without rebooking', "the next flight with seats is in 4 days"],
    ['cancelled without rebooking', 'the next vx flight to jfk w seats is friday'],
    ['cancelled without rebooking', 'the next flight out is in 36 hours'],
    ['cancelled without rebooking', "flight's off and the earliest they have is tomorrow night"],
    ['cancelled without rebooking', 'cancelled my flight and giving me a seat 3 days later'],
    ['cancelled without rebooking', 'rebooked for 3 days from now'],
    ['cancelled without rebooking', 'the rebooking pushes me 2 days'],
    ['cancelled without rebooking', 'no seats til tmrw'],
    ['cancelled without rebooking', 'no alternatives until next week'],
    ['cancelled without rebooking', '3 days until the next one'],
    ['cancelled without rebooking', "my flight was cancelled and the app won't let me rebook"],
    ['cancelled without rebooking', "we haven't been offered any alternative"],
    ['cancelled without rebooking', 'cancelled and told us the next open seat is in 4 days'],
    ['cancelled without rebooking', 'we could only get a seat on a flight in six days'],
    ['cancelled without rebooking', 'every flight to slc is full til wednesday'],
    ['cancelled without rebooking', "the agent said \"there's no flight tonight, sorry\""],
    ['cancelled without rebooking', 'cancelled, rebooked in 48 hrs'],
    ['cancelled without rebooking', 'the only option offered is a refund'],
    ['cancelled without rebooking', 'cancelled my flight at the gate. no agent to rebook'],
    ['stranded overnight', 'stuck in denver for 3 nights after the cancellation'],
    ['stranded overnight', 'cancelled at 11pm and the hotels are all sold out'],
    ['cancelled without rebooking', 'cancelled and no alternative offered'],
    ['cancelled without rebooking', 'the airline only offers a refund'],
    ['cancelled without rebooking', 'no seats on any flight until thursday'],
    ['cancelled without rebooking', 'nothing was available for five days'],
    ['cancelled without rebooking', 'cancelled and nothing available for a week'],
    ['cancelled without rebooking', 'cancelled, nothing available this week'],
    ['cancelled without rebooking', 'nothing back to dublin till tuesday'],
    ['cancelled without rebooking', 'no rebook available before friday'],
    ['cancelled without rebooking', 'told to come back in 2 days'],
    ['cancelled without rebooking', 'the agent said the earliest is friday'],
    ['cancelled without rebooking', "they can't get me home till sunday"],
    ['cancelled without rebooking', 'all flights full for 2 days'],
    ['cancelled without rebooking', 'the next available seats were a week later'],
    ['missed connection', "won't make my connection at this rate, we haven't pushed back"],
    ['missed connection', 'update: i did not make the connection. rebooked on tomorrow\'s flight'],
    ['missed connection', 'just watched my connection to lhr take off from the window'],
    ['delayed all day', 'ac 115 delayed all day. literally all day'],
    ['delayed all day', 'stuck in miami all day trying to get to raleigh'],
    ['delayed all day', 'spent the entire day in the philadelphia airport'],
    ['cancelled without rebooking', "cancelled with a day's notice and offered nothing but a refund"],
    ['cancelled without rebooking', 'no new flight was offered and the agent said check your email'],
    ['cancelled without rebooking', "cancelled yesterday and we still don't have a new booking"],
    ['cancelled without rebooking', 'flight called off and every flight tomorrow is sold out'],
    ['cancelled without rebooking', 'check the app, they said. the app shows no options'],
    ['cancelled without rebooking', "it's official, no flight home tonight"],
    ['missed connection', 'missed my sk connection to tromsø because the first flight was late'],
    ['missed connection', 'stuck at ord last night (missed my 9pm connection)'],
    ['stranded overnight', 'cancelled at dtw and all hotels near the airport are full'],
    ['stranded overnight', 'walked us to another hotel that was also full. no room anywhere tonight'],
    ['cancelled without rebooking', 'my daughter was bumped off the last flight from denver tonight'],
    ['missed connection', 'the delay made us miss the last ferry to the island'],
    ['missed connection', 'missed the last bos-ack hop because the first leg came in late'],
    ['missed connection', 'our connection in charlotte left while we sat on the runway'],
    ['delayed all day', 'rolling delays all evening, still at the gate'],
    ['delayed all day', 'ua 88 delayed all night, no update'],
    ['stranded overnight', 'cancelled so i am sleeping at ord tonight'],
    ['stranded overnight', 'landed at 1am, so a hotel at my own cost'],
    ['stranded overnight', 'rebooked for 7am but nobody will book a hotel for us'],
    ['stranded overnight', "they won't give us a hotel voucher, we're at iah with a baby"],
    ['stranded overnight', 'the desk ran out of hotel vouchers at midnight'],
    ['stranded overnight', 'day 3 in boston after a cancellation'],
    ['stranded overnight', 'day 2: stuck in newark, no word'],
    ['stranded overnight', 'day two of trying to get home from cancun'],
    ['cancelled without rebooking', 'cancelled, and the app offers a seat 2 days later'],
    ['cancelled without rebooking', "we can't get home til tuesday"],
    ['cancelled without rebooking', 'nobody can get me to boise until friday'],
    ['cancelled without rebooking', 'the agent said find your own flight'],
    ['cancelled without rebooking', "cancelled, and they can't find me a seat"],
    ['cancelled without rebooking', 'every flight out is gone for the night'],
    ['cancelled without rebooking', 'bumped at the gate, flight gone, no more today'],
    ['cancelled without rebooking', 'cancelled my flight, then cancelled the rebooked one'],
    ['cancelled without rebooking', '3rd flight cancelled today'],
    ['cancelled without rebooking', 'three cancellations and still at den'],
    ['cancelled without rebooking', 'you cancelled 3 flights in a row'],
    ['cancelled without rebooking', 'the cancellation i get. 4 hours later, still no new flight'],
  ])('%s: "%s"', (rule, post) => {
    const hit = matchPriorityRules(SEVERE_DISRUPTION_RULES, post);
    expect(hit).toMatchObject({ rule, makesIssue: false });
    for (const words of hit!.evidence) expect(post).toContain(words);
  });

  it.each([
    ...PRAISE_AND_QUESTIONS,
    'flight delayed 20 minutes, no big deal',
    'flight cancelled but they rebooked me on the 6pm, fine',
    'why is there no hotel shuttle',
    'no hotel points credited for my stay',
    'we were not stranded after all, thanks',
    'spent the night at the hilton, lovely',
    'missed the bus transfer to the hotel',
    'my next flight on monday better have working wifi',
    'rebooked 2 days ago and still no confirmation email',
    'rebooked 3 times in 2 days and each time the agent was lovely',
    'my daughter had to sleep in a chair because the room had one bed',
    'cancelled, rebooked for tomorrow morning, fine',
    'every seat map says no seats available but the flight is half empty',
    'the bag office told me to come back tomorrow to collect it',
    'the hotels near the pier are full of character',
    'nothing available for the kids on the menu, sadly',
    'cancelled, and the earliest is 6am tomorrow. fine',
    'no seats left in economy so we sat in premium until landing',
    "my bag didn't make the connection in clt",
    'will i make my connection in clt? 45 min late',
    'been sick all day after that sandwich',
    'your website has been down all day',
    'cancelled flights all day and only one agent at the desk',
    'we were not stuck in denver all day after all, thanks',
    'cancelled, and the next one is full, so we are on standby',
    'all seats are full of crumbs on this plane',
    'the app shows no errors now, thanks',
    'landed 25 min late. if i miss this connection in dtw...',
    'do you have anything for tomorrow morning instead?',
    'missed the last shuttle to the resort, taxi it is',
    'missed my last bus home after the delay',
    "they didn't give us a hotel upgrade this time",
    'day 2 of our trip and the hotel pool is still closed',
    'day 3 in lisbon, loving it',
    'my flight cancelled new flight 5012 is fine',
    '2 cancellations on this route in one month',
    'cancelled twice this year already',
    'the old flight and the new flight were both on time',
    'all the snacks were gone by row 10 today',
    'you gave me nothing to eat on a 6 hour flight',
  ])('matches nothing in "%s"', (post) => {
    expect(matchPriorityRules(SEVERE_DISRUPTION_RULES, post)).toBeUndefined();
  });
});

describe('configured terms', () => {
  it('match whole words in any case, with any spacing inside a phrase', () => {
    const rule = termRule('configured safety terms', ['Lounge Access', 'pilot'], true)!;
    expect(matchPriorityRules([rule], 'no lounge   access and the PILOT was rude')).toEqual({
      rule: 'configured safety terms',
      evidence: ['lounge   access', 'PILOT'],
      makesIssue: true,
    });
    expect(matchPriorityRules([rule], 'loungeaccess for copilots')).toBeUndefined();
  });

  it('match regex characters literally', () => {
    const rule = termRule('terms', ['c++', 'a.b'], false)!;
    expect(matchPriorityRules([rule], 'the c++ crowd')?.evidence).toEqual(['c++']);
    expect(matchPriorityRules([rule], 'ccc and axb')).toBeUndefined();
  });

  it('make no rule when there are no terms', () => {
    expect(termRule('terms', [], true)).toBeUndefined();
    expect(termRule('terms', ['  ', ''], true)).toBeUndefined();
  });
});

describe('disruption priority', () => {
  it('calls a delay of three hours or more severe by default', () => {
    expect(DEFAULT_PRIORITY_POLICY.severeDelayMinutes).toBe(180);
    expect(disruptionPriority('delayed 3 hours at the gate', 'delay', 180, DEFAULT_PRIORITY_POLICY)).toEqual({
      priority: 'P2',
      rule: 'P2 severe disruption: delay of 180 minutes or more',
      evidence: ['180 minutes'],
    });
    expect(disruptionPriority('delayed 4 hours then cancelled', 'cancellation', 240, DEFAULT_PRIORITY_POLICY).priority).toBe('P2');
  });

  it('keeps a shorter delay at P3', () => {
    expect(disruptionPriority('delayed 2 hours 59 minutes', 'delay', 179, DEFAULT_PRIORITY_POLICY)).toEqual({ priority: 'P3', rule: 'P3 other issue', evidence: [] });
    expect(disruptionPriority('delayed again', 'delay', null, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
  });

  it('does not count a long wait that is not a late flight', () => {
    expect(disruptionPriority('on hold for 3 hours and nobody picks up', 'other_complaint', 180, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
    expect(disruptionPriority('waited 3 hours for my bag', 'baggage', 180, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
  });

  it.each([
    ['6 hr hold time to rebook my cncld flight', '6 hr hold time'],
    ["i've now been on hold 3 hours to rebook my cancelled dl 2114", 'on hold 3 hours'],
    ['4th hour on hold after my flight was cancelled', '4th hour on hold'],
    ['flight cancelled + rebooking on hold for 3.5 hrs', 'on hold for 3.5 hrs'],
    ['cancelled my flight and the hold time is 5 hours', 'hold time is 5 hours'],
    ['cancelled, and 4 hrs 10 min on the phone so far', '4 hrs 10 min on the phone'],
  ])('makes hours on hold after a cancellation P2, a traveller who cannot get rebooked: "%s"', (text, words) => {
    expect(disruptionPriority(text, 'cancellation', null, DEFAULT_PRIORITY_POLICY)).toEqual({
      priority: 'P2',
      rule: 'P2 severe disruption: cancelled, and on hold 180 minutes or more',
      evidence: [words],
    });
  });

  it('reads long runs of hold words, and of the words the severe-disruption rules look for, in linear time', () => {
    const holdWords = ['on hold ', '3 hours ', '3 hrs 20 min on ', '4th hour ', 'hold time 9 '];
    const ruleWords = ['day 2 ', 'day 3 stuck ', 'all flights are ', 'every ', 'cancelled the new ', '3 cancellations ', '2 flights cancelled ', 'nobody will book ', "won't give us a ", 'offered nothing ', 'with no alternative ', 'no later flight ', 'missed the last ', 'connection in '];
    for (const piece of [...holdWords, ...ruleWords]) {
      const text = piece.repeat(Math.ceil(20_000 / piece.length));
      const started = performance.now();
      disruptionPriority(text, 'cancellation', null, DEFAULT_PRIORITY_POLICY);
      expect(performance.now() - started, piece).toBeLessThan(1000);
    }
  });

  it('leaves a shorter hold after a cancellation, and a hold about anything else, at P3', () => {
    expect(disruptionPriority('cancelled, and 2 hours on hold', 'cancellation', null, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
    expect(disruptionPriority('cancelled, on hold since 3pm', 'cancellation', null, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
    expect(disruptionPriority('my refund: on hold for 4 hours', 'other_complaint', null, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
    expect(disruptionPriority('cancelled, and 2 hours on hold', 'cancellation', null, { ...DEFAULT_PRIORITY_POLICY, severeDelayMinutes: 120 }).priority).toBe('P2');
  });

  it.each([
    ['cancelled with no alternative. help!!', 'with no alternative'],
    ['great job cancelling my flight and offering literally nothing', 'offering literally nothing'],
    ['cancelled and offered us nothing', 'offered us nothing'],
    ['cancelled, with no alternative but to drive 6 hours', 'with no alternative'],
    ["our flight was scrapped and there's no later flight today", 'no later flight today'],
  ])('makes a cancellation that nothing replaced P2: "%s"', (text, words) => {
    expect(disruptionPriority(text, 'cancellation', null, DEFAULT_PRIORITY_POLICY)).toEqual({
      priority: 'P2',
      rule: 'P2 severe disruption: cancelled without rebooking',
      evidence: [words],
    });
  });

  it.each([
    ['my bag was lost and the desk offered nothing', 'baggage'],
    ['they say my bag is on a later flight, but there is no later flight today', 'baggage'],
    ['the menu had no alternative for vegans and offered nothing else', 'meal'],
  ])('reads "nothing offered" as no rebooking only of a cancellation: "%s"', (text, category) => {
    expect(disruptionPriority(text, category as 'baggage' | 'meal', null, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
  });

  it('follows a configured delay threshold', () => {
    const policy = { ...DEFAULT_PRIORITY_POLICY, severeDelayMinutes: 120 };
    expect(disruptionPriority('delayed 2 hours', 'delay', 120, policy)).toMatchObject({ priority: 'P2', rule: 'P2 severe disruption: delay of 120 minutes or more', evidence: ['120 minutes'] });
    expect(disruptionPriority('delayed 90 minutes', 'delay', 90, policy).priority).toBe('P3');
  });

  it('makes a severe disruption P2 whatever the category', () => {
    expect(disruptionPriority('missed my connection and my bag is gone', 'baggage', null, DEFAULT_PRIORITY_POLICY)).toEqual({
      priority: 'P2',
      rule: 'P2 severe disruption: missed connection',
      evidence: ['missed my connection'],
    });
  });

  it('uses a configured rule alongside the built-in ones', () => {
    const rules = [...SEVERE_DISRUPTION_RULES, termRule('configured severe-disruption terms', ['diverted'], false)!];
    expect(disruptionPriority('we were diverted to oakland', 'delay', null, DEFAULT_PRIORITY_POLICY, rules)).toEqual({
      priority: 'P2',
      rule: 'P2 severe disruption: configured severe-disruption terms',
      evidence: ['diverted'],
    });
    expect(disruptionPriority('we were diverted to oakland', 'delay', null, DEFAULT_PRIORITY_POLICY).priority).toBe('P3');
  });
});
