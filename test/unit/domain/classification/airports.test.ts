import { describe, expect, it } from 'vitest';
import { AIRPORT_COUNT, isAirportCode } from '#domain/classification/airports';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('the airport table', () => {
  it('knows the airports posts name most', () => {
    for (const code of ['JFK', 'LHR', 'ORD', 'ATL', 'DFW', 'CDG', 'AAL', 'ZRH', 'SYD', 'NRT']) expect(isAirportCode(code), code).toBe(true);
  });

  it('holds exactly the codes it was generated from, no more (every one of the 17,576 three-letter codes is read)', () => {
    let known = 0;
    for (const first of LETTERS) for (const second of LETTERS) for (const third of LETTERS) if (isAirportCode(first + second + third)) known++;
    expect(known).toBe(AIRPORT_COUNT);
    expect(AIRPORT_COUNT).toBeGreaterThan(4000);
  });

  it('answers no for codes that are not airports and for anything but three capital letters', () => {
    for (const code of ['XXX', 'QQQ', 'jfk', 'JF', 'JFKX', '', 'J1K', 'JF@', 'JF[', 'ÀBC']) expect(isAirportCode(code), code).toBe(false);
  });
});
