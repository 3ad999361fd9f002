import * as z from './zod.ts';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `15m`, `4h`, `2d`, or `5s` for local runs, parsed to seconds. */
export const Duration = z.pipe(
  z.string().check(z.regex(/^[1-9]\d{0,5}[smhd]$/, 'expected a duration such as "30s", "15m", "4h" or "2d"')),
  z.transform((text: string) => Number(text.slice(0, -1)) * UNIT_SECONDS[text.slice(-1) as keyof typeof UNIT_SECONDS]),
);
