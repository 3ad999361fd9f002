import { describe, expect, it } from 'vitest';
import { extractEntities } from '#domain/classification/entities';

// A post's own clock: X's created_at as the platform normaliser passes it on, 11:35 in Seattle.
const POSTED_AT_1135 = '2015-02-24T11:35:52-08:00';

describe('flight numbers', () => {
  it.each([
    ['@united UA123 delayed again', ['UA123']],
    ['Loved the meal on BA 2490, thank you!', ['BA2490']],
    ['stuck on flight ua123 &amp; nobody knows why', ['UA123']],
    ['flight # dl45 still at the gate', ['DL45']],
    ['@JetBlue B6 915 sitting on the tarmac', ['B6915']],
    ['UA123 late, and UA 123 is late again https://t.co/UA999xyz', ['UA123']],
  ])('reads "%s" as %j', (text, flights) => {
    expect(extractEntities(text).flightNumbers).toEqual(flights);
  });

  it('reads a lower-case designator only right after the word "flight"', () => {
    expect(extractEntities('my ua123 was late').flightNumbers).toEqual([]);
    expect(extractEntities('my flight ua123 was late').flightNumbers).toEqual(['UA123']);
  });

  it('does not read clock times as flight numbers', () => {
    expect(extractEntities('boarding at 10:45, landed 14:20, bags out at 6:30pm').flightNumbers).toEqual([]);
  });

  it('does not read an aircraft type ("A350") as a flight number', () => {
    expect(extractEntities('the A350 was lovely but the seat was broken').flightNumbers).toEqual([]);
  });

  it('does not read a gate ("gate B12") as a flight number', () => {
    expect(extractEntities('moved to gate B12 with no announcement').flightNumbers).toEqual([]);
  });
});

describe('airports', () => {
  it.each([
    ['JFK-LHR again, bags lost', ['JFK', 'LHR']],
    ['LAX > SFO delayed', ['LAX', 'SFO']],
    ['JFK→LHR tonight', ['JFK', 'LHR']],
    ['ORD to DEN was a mess', ['ORD', 'DEN']],
    ['Landed at LHR &amp; no bags', ['LHR']],
    ['@AmericanAir AA100 JFK-LAX delayed 3 hours https://t.co/abc', ['JFK', 'LAX']],
  ])('reads the codes of a route in "%s"', (text, airports) => {
    expect(extractEntities(text).airports).toEqual(airports);
  });

  it('reads a known upper-case code anywhere', () => {
    expect(extractEntities('stuck at ORD for the night').airports).toEqual(['ORD']);
    expect(extractEntities('DEN is a zoo today').airports).toEqual(['DEN']);
  });

  it('reads a code that is also a word typed in capitals only in a route', () => {
    expect(extractEntities('THE worst service, BAD crew').airports).toEqual([]);
    expect(extractEntities('flying from SEA tomorrow').airports).toEqual(['SEA']);
    expect(extractEntities('SEA-JFK overnight').airports).toEqual(['SEA', 'JFK']);
  });

  it('reads a lower-case code only in a route, and never one that is a common word', () => {
    expect(extractEntities('lax security was slow').airports).toEqual([]);
    expect(extractEntities('landing in sfo soon').airports).toEqual(['SFO']);
    expect(extractEntities('flying from sea to lax').airports).toEqual(['LAX']);
    expect(extractEntities('going from bad to worse').airports).toEqual([]);
  });

  it('ignores three-letter codes that are not in the airport table', () => {
    expect(extractEntities('from XQZ to JFK').airports).toEqual(['JFK']);
  });

  it('ignores codes inside links', () => {
    expect(extractEntities('see https://example.com/JFK-LHR for the mess').airports).toEqual([]);
  });

  it('reads both ends of a lower-case route ("jfk to sfo")', () => {
    expect(extractEntities('flew jfk to sfo and my bag did not').airports).toEqual(['JFK', 'SFO']);
  });

  it('does not read "PNR" in front of a booking reference as an airport', () => {
    expect(extractEntities('PNR X7K9QZ, still no refund').airports).toEqual([]);
  });
});

describe('booking references', () => {
  it.each([
    ['booking ref X7K9QZ, please help', ['X7K9QZ']],
    ['my confirmation is X7K9QZ', ['X7K9QZ']],
    ['record locator: QWRTZP', ['QWRTZP']],
    ['reservation number is K4BN2P', ['K4BN2P']],
    ['Conf#: K4BN2P', ['K4BN2P']],
    ['my pnr is abc123', ['ABC123']],
    ['itinerary #K4BN2P &amp; ref Q7W8E9', ['K4BN2P', 'Q7W8E9']],
  ])('reads the reference in "%s"', (text, refs) => {
    expect(extractEntities(text).bookingRefs).toEqual(refs);
  });

  it('needs the words before it to say it is a booking reference', () => {
    expect(extractEntities('X7K9QZ is what they gave me').bookingRefs).toEqual([]);
    expect(extractEntities('https://t.co/K4BN2P booking').bookingRefs).toEqual([]);
  });

  it('refuses a word typed in capitals after the context words', () => {
    expect(extractEntities('confirmation number PLEASE').bookingRefs).toEqual([]);
    expect(extractEntities('booking ref TRAVEL').bookingRefs).toEqual([]);
  });

  it('refuses "THANKS" after the context words', () => {
    expect(extractEntities('booking reference THANKS').bookingRefs).toEqual([]);
  });

  it('refuses a flight number in the place of a reference', () => {
    const entities = extractEntities('booking ref UA1234');
    expect(entities.bookingRefs).toEqual([]);
    expect(entities.flightNumbers).toEqual(['UA1234']);
  });
});

describe('the longest wait stated', () => {
  it.each([
    ['delayed 3 hours', 180],
    ['delayed 3 HOURS and counting', 180],
    ['45 min late', 45],
    ['sat here 2hrs', 120],
    ['4h delay', 240],
    ['delay of 2h30 so far', 150],
    ['an hour and a half late', 90],
    ['half an hour late', 30],
    ['delayed 2 hrs 15 mins', 135],
    ['1.5 hours on the tarmac', 90],
    ['two hours late', 120],
    ['3+ hours at the gate', 180],
    ['delayed 1 hour, then another 3 hours', 180],
    ['delayed 2 hours &amp; counting https://t.co/5hours', 120],
  ])('reads "%s" as %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each(['on hold for 3 hours and nobody picks up', 'on the phone 2 hours with your agents', 'waited in line for 90 minutes', 'live chat for 4 hours, useless'])(
    'ignores a phone, chat or queue wait: "%s"',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it('keeps the flight delay when a phone wait is named after it', () => {
    expect(extractEntities('delayed 2 hours and on hold for 5 hours').delayMinutes).toBe(120);
  });

  it('keeps the flight delay when a phone wait is named just before it', () => {
    expect(extractEntities('on hold 1 hr &amp; delayed 4 hrs').delayMinutes).toBe(240);
  });

  it('counts "since 6am" against the clock of the post', () => {
    expect(extractEntities('stuck at the gate since 6am', POSTED_AT_1135).delayMinutes).toBe(335);
  });

  it('counts "since 6:30 am" and "since 14:00" against the clock of the post', () => {
    expect(extractEntities('waiting since 6:30 am', POSTED_AT_1135).delayMinutes).toBe(305);
    expect(extractEntities('here since 14:00 &amp; no update', '2015-02-24T17:05:00-05:00').delayMinutes).toBe(185);
  });

  it('takes the longer of a stated wait and a "since"', () => {
    expect(extractEntities('delayed 2 hours, at the airport since 6am', POSTED_AT_1135).delayMinutes).toBe(335);
  });

  it('cannot count a "since" without the time the post was made', () => {
    expect(extractEntities('stuck at the gate since 6am').delayMinutes).toBeNull();
  });

  it('ignores a "since" later than the post', () => {
    expect(extractEntities('delayed since 6 pm', POSTED_AT_1135).delayMinutes).toBeNull();
  });

  it.each(['I am at the gate', 'ah well, the flight was fine', 'I AM SO ANGRY AT LAX', 'a m', 'an h', 'boarding at 3 am'])(
    'reads no wait in "%s": a number word needs a space and a spelled-out unit',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it.each([
    ['a minute late', 1],
    ['an hr on the tarmac', 60],
    ['one hour late', 60],
    ['forty-five minutes at the gate', 45],
    ['twenty mins late', 20],
  ])('still reads the number word in "%s" as %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it('is null when no wait is stated', () => {
    expect(extractEntities('My bag never arrived in Lisbon').delayMinutes).toBeNull();
    expect(extractEntities('Great crew, smooth landing https://t.co/3hrs').delayMinutes).toBeNull();
  });
});

it('finds nothing in a post without entities', () => {
  expect(extractEntities('thank you for the lovely crew')).toEqual({ flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: null });
});
