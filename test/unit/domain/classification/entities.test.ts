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

  it.each([
    'my flight is 3 hours late',
    'our flight at 3:45pm is gone',
    'my flight in 45 minutes has no crew',
    'flight no 1234 was cancelled',
    'my flight to LA 2 hours late',
    'THIS FLIGHT IS 4 HOURS LATE',
    'NO 1 cares about us',
    'OK 5 hours on the tarmac now',
    'DEPARTING IN 2 hours they say',
  ])('does not read an English word and a number as a flight: "%s"', (text) => {
    expect(extractEntities(text).flightNumbers).toEqual([]);
  });

  it.each([
    ['flight number ua123 never boarded', ['UA123']],
    ['flight number: ua 1234', ['UA1234']],
    ['flight no. UA123 cancelled', ['UA123']],
    ['flight # ua 88 still at the gate', ['UA88']],
    ['AS 331 to Anchorage is late', ['AS331']],
    ['US 728 returned to the gate', ['US728']],
    ['HA 51 delayed 7 hrs', ['HA51']],
  ])('reads the flight in "%s" as %j', (text, flights) => {
    expect(extractEntities(text).flightNumbers).toEqual(flights);
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
    expect(extractEntities('I had to beg for water').airports).toEqual([]);
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

  it.each([
    'WHAT HAPPENED TO THE PLANE',
    'NOT AT ALL OK',
    'I WANT TO GET HOME',
    'ANOTHER 737 MAX, NO THANKS',
    'DELAYED 3 HRS NOW',
    'SAT ON THE TARMAC FOREVER',
    'WE HAD NO FOOD',
    'THE INN WAS FULL',
    'THEY PUT US ON A BUS',
    'HELP PLZ',
    'MRS JONES NEEDS A WHEELCHAIR',
  ])('reads no airport in the shouted words of "%s"', (text) => {
    expect(extractEntities(text).airports).toEqual([]);
  });

  it.each([
    ['all flights to SAT cancelled', ['SAT']],
    ['SAT-DFW delayed again', ['SAT', 'DFW']],
    ['stuck at MAX for hours', ['MAX']],
    ['MAD-NYC fares too cheap to be true', ['MAD']],
  ])('reads a code that is also a shouted word after a lower-case route word or next to another code: "%s"', (text, airports) => {
    expect(extractEntities(text).airports).toEqual(airports);
  });

  it('still reads the busiest airports in capitals anywhere', () => {
    const busiest =
      'LAX JFK SFO BOS DEN MIA ORD ATL DFW IAH PHX LAS MCO EWR CLT DCA IAD LGA MSP DTW PHL SLC SAN TPA PDX AUS BNA STL MCI RDU HNL OAK SJC ' +
      'SMF SNA BUR ONT LHR LGW CDG FRA AMS BCN FCO MUC ZRH DXB DOH HKG NRT HND SIN SYD YYZ YVR MEX CUN';
    for (const code of busiest.split(' ')) expect(extractEntities(`${code} is a mess today`).airports).toEqual([code]);
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

  it.each([
    ['my confirmation number is KOAEBX', ['KOAEBX']],
    ['record locator HAUQEI', ['HAUQEI']],
    ['booking ref. X7K9QZ', ['X7K9QZ']],
    ['conf. X7K9QZ', ['X7K9QZ']],
    ['booking ref (K4BN2P)', ['K4BN2P']],
    ['PNR-X7K9QZ', ['X7K9QZ']],
    ['record locator - X7K9QZ', ['X7K9QZ']],
  ])('reads the reference in "%s" after a confirmation or locator word, or after punctuation', (text, refs) => {
    expect(extractEntities(text).bookingRefs).toEqual(refs);
  });

  it.each([
    'booking ref HAUQEI',
    'my reservation starts friday',
    'booking 100USD',
    'booking 3NIGHT',
    'my confirmation is always lost',
    'confirmation number SHOULD be in the email',
  ])('refuses words and amounts after the context words: "%s"', (text) => {
    expect(extractEntities(text).bookingRefs).toEqual([]);
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
    ['a 3-hour delay', 180],
    ['90-minute delay', 90],
    ['ten-hour delay', 600],
    ['#5hourdelay thanks a lot', 300],
    ['12h flight, 3h delay', 180],
    ['1hr 30 delay', 90],
    ['4h 30', 270],
    ['delayed 2 hours, 45 minutes', 165],
    ['2h45m late', 165],
    ['delayed 2hr45', 165],
    ['4:30 hours delay', 270],
    ['1/2 hour late', 30],
    ['delayed 3 1/2 hours', 210],
    ['two and a half hours late', 150],
    ['twenty-five minutes late', 25],
    ['45m late', 45],
    ['Three &amp; 1/2 hour delay so far', 210],
    ['2-1/2 hours late', 150],
    ['sitting on the plane for two hours flight #4663', 120],
    ['no meal vouchers for a 7 hour flight delay', 420],
    ['we were supposed to leave 15 minutes ago', 15],
    ['(after 2.5hrs of hold) 6hrs of mech delay', 360],
    ['missed the last hop bc UA 1724 came in 2hrs late', 120],
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

  it.each(['2 hours on hold', '3 hours on the phone with your agents', 'spent 4 hours on hold today', '45 minutes in the queue', 'my flight is delayed and I have spent 2 hours on hold'])(
    'ignores a phone or queue wait named after the time: "%s"',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it.each([
    'a 10 hour flight',
    'arrived 2 hours early',
    'got to the airport 3 hours early',
    'flight leaves in 2 hours',
    'boarding within 30 minutes',
    'posted 2 hours ago',
    '2 hours before departure',
    'a 5 hour layover in Denver',
    'I had a 1-hour connection in Charlotte',
    'good luck with the no-entertainment-on-6-hour-flights strategy',
    'the flight is 11 hours long and no meal',
    'an 11 hour long flight with nothing to eat',
    'the flight was almost four hours and I could not feel my legs',
    'a flight of 9 hours and they ran out of food',
    'it is a 14 hour journey with two kids',
    'an 8 hour nonstop, no food',
    'cancelled with 2 hours notice',
    "cancelled with 2 hours' notice",
    'the hotel voucher line is 1 hr long',
  ])('reads no wait in a time that is not one: "%s"', (text) => {
    expect(extractEntities(text).delayMinutes).toBeNull();
  });

  it.each([
    ['a 3 hour long delay', 180],
    ['3 hour long wait at the gate', 180],
    ['the flight was 3 hours late', 180],
    ['my flight is 3 hours delayed', 180],
    ['flight was 2 hours behind schedule', 120],
    ['rebooked, the new flight is 3 hrs later', 180],
    ['the flight was 1h 40 and we waited 55 mins for bags', 55],
  ])('still reads a wait beside words of length: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each(['walked 500m to the gate', '2m of legroom', 'raised $2M', 'waited 45m'])('does not read a bare "m" as minutes unless it follows hours or precedes a delay word: "%s"', (text) => {
    expect(extractEntities(text).delayMinutes).toBeNull();
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

  it.each([
    ['a UTC post in Los Angeles', '2015-02-24T19:35:52Z', 'America/Los_Angeles', 335],
    ['a UTC post in Chicago', '2015-02-24T19:35:52Z', 'America/Chicago', 455],
    ['a +00:00 post in Chicago', '2015-02-24T19:35:52+00:00', 'America/Chicago', 455],
    ['a UTC post in Los Angeles in summer time', '2015-07-01T18:35:00.000Z', 'America/Los_Angeles', 335],
    ['a post with its own offset, whatever the zone', POSTED_AT_1135, 'America/Chicago', 335],
    ['a post with its own offset and no zone', POSTED_AT_1135, undefined, 335],
  ])('counts "since 6am" on the wall clock of %s', (_, createdAt, timeZone, minutes) => {
    expect(extractEntities('stuck at the gate since 6am', createdAt, timeZone).delayMinutes).toBe(minutes);
  });

  it.each([
    ['a UTC post without a zone', '2015-02-24T19:35:52Z', undefined],
    ['a +00:00 post without a zone', '2015-02-24T19:35:52+00:00', undefined],
    ['a UTC post with a zone that does not exist', '2015-02-24T19:35:52Z', 'Mars/Olympus_Mons'],
    ['a UTC post with an empty zone', '2015-02-24T19:35:52Z', ''],
  ])('cannot count a "since" on %s', (_, createdAt, timeZone) => {
    expect(extractEntities('stuck at the gate since 6am', createdAt, timeZone).delayMinutes).toBeNull();
  });

  it.each([
    ['since 11pm', '2015-02-25T01:10:00-08:00', 130],
    ['since 8pm last night', '2015-02-25T07:00:00-08:00', 660],
    ['stuck since 23:30', '2015-02-25T00:40:00-08:00', 70],
  ])('counts "%s" across midnight', (text, createdAt, minutes) => {
    expect(extractEntities(text, createdAt).delayMinutes).toBe(minutes);
  });

  it.each([
    ['delayed since 2 hours', 120],
    ['stuck here since 3 days', null],
    ['no upgrade since 9/11', null],
  ])('does not read "%s" as a clock time', (text, minutes) => {
    expect(extractEntities(text, POSTED_AT_1135).delayMinutes).toBe(minutes);
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

  it.each([
    ['supposed to leave at 9am, now leaving at 1pm', 240],
    ['delayed from 9:30 to 13:15', 225],
    ['our flight got pushed back from 6:15pm to 10pm', 225],
    ['scheduled departure 7:05, new departure 11:40', 275],
    ['our 6am flight is now leaving at 2pm', 480],
    ['was due to land at 10:15pm, now 1:30am', 195],
    ['our flight moved from 14:00 to 18:30', 270],
    ['should have departed at 8:15am, new departure time 10:40am', 145],
    ['originally 7:50am, delayed until 9:35am', 105],
    ['supposed to take off at 6:10pm and we are not leaving until 9pm', 170],
    ["flight at 9:30 pm won't leave until 2am", 270],
    ['the flight was meant to fly at noon, rescheduled for 4pm', 240],
    ['supposed to leave at noon, now 3:30pm', 210],
    ['My 10:10 has been delayed until 1:05.', 175],
    ['the 18:40 from LHR has been delayed to 23:10', 270],
    ['my 7:45am flight left at 1:15pm', 330],
    ['11pm arrival turned into 3am', 240],
    ['delayed from 8am to 11:30am, then 1pm, then 3pm', 420],
    ['flight delayed from 3.30pm to 6pm', 150],
    ['supposed to board at 9 a.m., now 11 a.m. at the earliest', 120],
  ])('reads a flight moved from one clock time to a later one in "%s" as %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['landed at 2am instead of 9pm', 300],
    ['new flight is at 8pm instead of 5pm', 180],
    ['our flight is now leaving at 1pm instead of 9am', 240],
    ['leaving at 1pm rather than the scheduled 9am', 240],
    ['boarding at 7:45 not 7:15', 30],
  ])('reads the time a flight went before the time it was meant to in "%s" as %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ["it's 9:40, we were supposed to leave at 8:15", 85],
    ["supposed to leave at 8:15 and it's 9:40 already", 85],
    ['flight was scheduled for 11:56, it is 1:05 and we have not moved', 69],
    ["We've been sitting at gate B12 since 2pm, it's now 7:30pm", 330],
    ["stuck at the airport since 2pm and now it's 7pm", 300],
    ['delayed since 11am, its 5:30pm and we are still in Calgary', 390],
    ["it's 9:40. We were supposed to leave at 8:15", 85],
    ["we've been delayed since 2pm. it's now 6:30. no update", 270],
    ['Supposed to land in Denver at 5:15. We touched down at 9:40.', 265],
    ['We finally landed at 11:40pm. Scheduled arrival was 8:15.', 205],
    ['Arrived at the airport at 5am for an 8am flight to Orlando. Took off at 2pm.', 360],
  ])('reads the time it is now, or the time the flight went, against the time it was meant to go or a wait began: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['supposed to land at 6, it\'s 9 and we\'re circling', 180],
    ['we boarded at 5, it\'s 8:40, still have not moved', 220],
    ['Boarded at 7, took off at 1.', 360],
    ['flight was supposed to leave at 1. it\'s 5:15', 255],
  ])('reads an hour alone as a clock time after a word that names one: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['open from 9 to 5, our flight is delayed', null],
    ['we were at 5 different gates, flight delayed', null],
    ["flight at 6 people waiting, it's 9", null],
    ['my flight leaves at 5, it is 3 now', null],
    ["it's 9 degrees out and our flight was supposed to leave at 7", null],
    ['delayed 2 hours, moved at 4 gates', 120],
  ])('reads no clock time in an hour alone that counts something or has no word naming a time: "%s"', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['hour 5 at CLT. send help', 300],
    ['going on hour 4 in this terminal', 240],
    ["feels like we'll never leave DFW. hour three", 180],
    ['while we sit here for the 3rd hour', 180],
    ['Hour 1: delayed for weather Hour 2: delayed for crew Hour 4: still here', 240],
  ])('reads the hour of a wait it is now: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['1 hour 30 min late', 90],
    ['an hour 20 late', 80],
  ])('still reads "%s" as hours and minutes, not an hour count', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each(["on hold since 2pm, it's now 4pm", "hotel check in since 3pm, it's now 6pm", 'the 4th hour on hold', 'supposed to leave at 9:40pm, and it is 9:10pm'])(
    'reads no wait in "%s": a queue, another service, another sentence, or not yet late',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it.each(['hotel check-in at 6pm instead of 3pm', 'we got to the hotel at 11pm instead of 6pm', 'our flight now leaves at 8am instead of 9am'])(
    'reads no wait in "%s": not a flight, or earlier than meant',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it.each([
    ['was due to land at 10:15pm, now 1:30am', 195],
    ['our 11pm flight now leaves at 2:30am', 210],
    ['delayed from 22:40 to 01:10', 150],
    ['supposed to leave at 9pm, now at midnight', 180],
  ])('counts a move past midnight: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['supposed to leave at 9am, now leaving at 8am', null],
    ['flight delayed from 9pm to 6pm', null],
    ['flight delayed from 6am to 11pm', 1020],
  ])('reads a later time earlier on the clock as after midnight only within 16 hours: "%s"', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['flight delayed from 9:30 to 1:05', 215],
    ['flight delayed from 11:30 to 1:15', 105],
    ['supposed to leave at 9:30, now 1pm', 210],
    ['our 6am flight now leaves at 2:00', 480],
    ['our 8pm flight now leaves at 1:00', 300],
    ['flight delayed from 09:30 to 10:15', 45],
    ['supposed to leave at 9:30, now 9:30', null],
  ])('reads a time without am/pm as the one that makes the wait shortest: "%s"', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    'open from 9 to 5',
    'the lounge is open from 9am to 5pm, our flight is delayed',
    'on hold from 2pm to 4pm',
    'my flight is delayed and I was on hold from 2pm to 4pm',
    'hotel check in from 3pm',
    'our flight was delayed so hotel check in moved from 3pm to 6pm',
    'the shuttle was supposed to leave at 5:30am, now 6:15am, we nearly missed our flight',
    'flight at 9am to Denver',
    'flight at 9am to Denver, landing at 1pm',
    'flight delayed, and the fare went from $9 to $13',
    'flight delayed, rebooked from 2/24 to 2/26',
    'flights 1234 to 1240 are all delayed',
    'the meeting moved from 14:00 to 18:30',
    'supposed to land at 6pm. The bus to the city is now at 8pm',
    'my 9am meeting is now a 3pm meeting',
    'supposed to depart at 9:30, boarding at 9:00',
    'a flight from 9am to 5pm is too long',
  ])('reads no wait in two clock times that are not a flight moved later: "%s"', (text) => {
    expect(extractEntities(text).delayMinutes).toBeNull();
  });

  it.each([
    ['BA 49 to Seattle delayed until 11pm from 3pm', 480],
    ['flight pushed to 8pm from 5pm', 180],
    ['left JFK at 11pm for a 7:30pm flight', 210],
  ])('reads the time a flight goes now said before the time it was meant to go: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    ['AA 1589 delayed till 1am. i had a 7pm departure.', 360],
    ["my flight was at 6:10pm. it's now scheduled for 11:45pm.", 335],
    ['flight 1115 delayed to 10:45pm. was 7:30. i have a 3 yr old', 195],
    ['new time 7:40. was supposed to leave at 6.', 100],
  ])('reads a time meant and the time it goes now told in two sentences: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    'Our flight was at 6pm. We ate dinner. Now delayed until 9pm',
    'Our flight was at 6pm. We had dinner in the food court and walked past every single shop in the terminal twice. Delayed until 9pm',
    'our flight was delayed. hotel check in now at 6pm, was 3pm',
    'our flight was delayed. The shuttle is now at 8pm. was 5pm',
    'flight delayed, was supposed to be at work at 6am. new departure 10:55pm',
  ])('reads no wait in times more than a sentence apart, or another service\'s or plan\'s: "%s"', (text) => {
    expect(extractEntities(text).delayMinutes).toBeNull();
  });

  it.each([
    ["dep 14:05. now 17:45 and we haven't boarded", 220],
    ['departure was 3:15. it is 4:40. we have not boarded', 85],
    ["still at the gate. flight was 11:40. it's 2:15", 155],
  ])('reads "dep", "departure" and "flight was" before the time a flight was meant to go: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each(['dep 14:05 arr 17:45', 'DEP 07:05 ARR 09:10 LHR-EDI', 'departure 7:05, arrival 11:40', 'flights at 6am, 9am, noon, 3pm, 6pm to LGA'])(
    'reads no wait in a timetable: "%s"',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it.each([
    ['my 7:15am just became a 12:30pm via text at 5:40am', 315],
    ['the 4:05 to PHX is now the 8:40', 275],
    ['the 5:30pm became the 9pm became the 11:45pm. UA 433.', 375],
    ['our 10am is now a 2pm', 240],
    ['the 9am is now the 3pm, and the shuttle is now at 4pm', 360],
  ])('reads a time that stands for the flight without a flight word beside it: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each(['my 9am dentist is now a 3pm', 'the 3pm shuttle is now the 5pm shuttle', 'my 2pm appointment is now at 5pm'])(
    'reads no wait in a time that a noun after makes something else: "%s"',
    (text) => {
      expect(extractEntities(text).delayMinutes).toBeNull();
    },
  );

  it.each([
    ['23:10 now. gate opened at 19:30. still sat here', 220],
    ['board says 11:20 now, was 10:10', 70],
    ['We boarded at 8:15 and pushed back at 10:05.', 110],
    ["it's 1am and we were supposed to be home by 9", 240],
  ])('reads the time it is said before "now", a gate opening, a push-back and getting home as times of a flight: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    "it's 9am now. flight at 11am",
    "we're on the 6:40 now. the 4:15 was full",
    "gate opens at 19:30, it's 19:00 now",
    "the shop opened at 6am, it's 9am now, flight delayed",
  ])('reads no wait in "%s": not yet late, a flight rather than the time, or not the gate', (text) => {
    expect(extractEntities(text).delayMinutes).toBeNull();
  });

  it.each([
    ['sat at the gate in SJU from noon to 5. nobody knew anything', 300],
    ['sat at gate 12 from 4:30 to 7:10 watching our plane get towed around', 160],
    ['stuck on the plane from 9:10pm till 1am', 230],
    ['we sat on the tarmac at ORD from 10:15pm until 1:40am', 205],
    ['waited at the gate from 2pm - 6pm', 240],
    ['board at 6pm, sit till 9pm, deplane', 180],
    ['Boarded at 8:30, sat on the plane until 9:45', 75],
  ])('reads a wait at the gate or on board told as a span: "%s" is %i minutes', (text, minutes) => {
    expect(extractEntities(text).delayMinutes).toBe(minutes);
  });

  it.each([
    'the lounge is open from noon to 5, flight delayed',
    'on hold from 2pm to 5, my flight is delayed',
    'sat on hold from 2pm to 5pm, flight cancelled',
    'kept on hold till 3pm, our flight was at noon',
    'hotel check in from 3pm to 11pm, our flight landed late',
    'stuck in a meeting from 9am to 5pm, missed my flight',
    'sat on the plane from 9am to 5pm, an 8 hour flight',
    'flight delayed, we waited at the gate from 2 to 5',
    'stuck at the gate from 2/24 to 2/26',
    'stuck at the gate, the fare went from $9 to $13',
    'flight delayed, we lost 3-1 at the game from 7pm to 9',
  ])('reads no wait in a span that is not a wait at the gate or on board: "%s"', (text) => {
    expect(extractEntities(text).delayMinutes).toBeNull();
  });

  it('reads an hour alone as a clock time when it ends a span that began at one', () => {
    expect(extractEntities('flight delayed from 9:30 to 2').delayMinutes).toBe(270);
    expect(extractEntities('flight delayed from 9 to 2').delayMinutes).toBeNull();
  });

  it('takes the longest of a stated wait, a "since" and a time moved later', () => {
    expect(extractEntities('delayed 2 hours, supposed to leave at 9am, now 1pm').delayMinutes).toBe(240);
    expect(extractEntities('delayed 5 hours: supposed to leave at 9am, now 10am').delayMinutes).toBe(300);
    expect(extractEntities('at the gate since 6am, our 9am flight now leaves at 1pm', POSTED_AT_1135).delayMinutes).toBe(335);
  });

  it('reads a long run of clock times and their words in linear time', () => {
    for (const piece of ['9:30 ', 'from 9am ', '1pm instead of ', 'supposed to leave at 9am, now ', 'our 6am flight now ', 'delayed from ', 'now ', ', then ', "since 2pm it's now 3pm ", "boarded at 5. it's 9 ", 'hour 4 ', 'at 5 ', 'delayed until 11pm from ', 'dep 14:05. ', '. was 7:30', '23:10 now. ', 'gate opened at 19:30 ', 'the 5:30pm became ', 'my 7:15am just ', 'sat at the gate from noon to ', 'noon to 5 ', 'board at 6pm, sit till ', 'supposed to be home by 9 ']) {
      const text = piece.repeat(Math.ceil(20_000 / piece.length));
      const started = performance.now();
      extractEntities(text);
      expect(performance.now() - started, piece).toBeLessThan(1000);
    }
  });

  it('is null when no wait is stated', () => {
    expect(extractEntities('My bag never arrived in Lisbon').delayMinutes).toBeNull();
    expect(extractEntities('Great crew, smooth landing https://t.co/3hrs').delayMinutes).toBeNull();
  });
});

it('finds nothing in a post without entities', () => {
  expect(extractEntities('thank you for the lovely crew')).toEqual({ flightNumbers: [], airports: [], bookingRefs: [], delayMinutes: null });
});
