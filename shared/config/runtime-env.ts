import * as z from '#contracts/zod';

/**
 * Each function's environment, parsed once at cold start: a missing or malformed variable fails
 * the cold start with its name, rather than a request later with an obscure error.
 */
export const envVar = {
  tableName: z.string().check(z.minLength(3)),
  busName: z.string().check(z.minLength(1)),
  /** Set only by the local runtime and tests; in AWS the SDK finds the regional endpoint. */
  endpoint: z.optional(z.url()),
};

export function parseEnv<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodMiniObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) throw new Error(`Invalid function environment:\n${z.prettifyError(result.error)}`);
  return result.data;
}
