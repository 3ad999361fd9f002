import * as z from '#contracts/zod';
import { jsonSyntaxReason } from '#middleware/validation';

export interface AuthorInput {
  id: string;
  handle?: string;
  name?: string;
}

/** A post as the input gives it; what it leaves out (id, author, time) is filled in when it is sent. */
export interface PostInput {
  id?: string;
  text: string;
  author?: AuthorInput;
  /** ISO 8601. */
  createdAt?: string;
  /** A language hint (BCP 47), passed on where the platform carries one. */
  language?: string;
  /** The id of the post this one answers: sent as a reply (an X reply, a Meta comment reply, kind `reply`). */
  inReplyTo?: string;
}

export interface InvalidLine {
  line: number;
  reason: string;
}

export interface ReadPosts {
  posts: PostInput[];
  invalid: InvalidLine[];
}

const Author = z.union([
  z.string().check(z.minLength(1)),
  z.object({ id: z.string().check(z.minLength(1)), handle: z.optional(z.string()), name: z.optional(z.string()) }),
]);

/** One JSON line. Other keys are allowed and ignored, so a line can carry the sender's own notes. */
const PostLine = z.object({
  id: z.optional(z.union([z.string().check(z.minLength(1)), z.pipe(z.int(), z.transform(String))])),
  text: z.string().check(z.minLength(1)),
  author: z.optional(Author),
  createdAt: z.optional(z.iso.datetime({ offset: true })),
  language: z.optional(z.string()),
  inReplyTo: z.optional(z.union([z.string().check(z.minLength(1)), z.pipe(z.int(), z.transform(String))])),
});

export type ParsedLine = { post: PostInput } | { invalid: string } | { blank: true };

/**
 * One input line: a JSON object when it starts with `{`, otherwise plain text that is the whole
 * post. Plain text may contain anything, so only the leading brace decides; a line meant as JSON
 * that does not parse is reported rather than sent as text.
 */
export function parseLine(line: string): ParsedLine {
  const trimmed = line.trim();
  if (trimmed === '') return { blank: true };
  if (!trimmed.startsWith('{')) return { post: { text: trimmed } };

  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    return { invalid: `not valid JSON: ${jsonSyntaxReason(error)}` };
  }
  const parsed = PostLine.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(line)'}: ${issue.message}`);
    return { invalid: issues.join('; ') };
  }
  const { id, text, author, createdAt, language, inReplyTo } = parsed.data;
  const post: PostInput = { text };
  if (id !== undefined) post.id = id;
  if (author !== undefined) post.author = typeof author === 'string' ? authorFromHandle(author) : author;
  if (createdAt !== undefined) post.createdAt = createdAt;
  if (language !== undefined) post.language = language;
  if (inReplyTo !== undefined) post.inReplyTo = inReplyTo;
  return { post };
}

/** Every post of an input, in order, and every line that could not be read, by its 1-based number. */
export function readPosts(input: string): ReadPosts {
  const result: ReadPosts = { posts: [], invalid: [] };
  // A byte-order mark is not part of the first post.
  input
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const parsed = parseLine(line);
      if ('post' in parsed) result.posts.push(parsed.post);
      else if ('invalid' in parsed) result.invalid.push({ line: index + 1, reason: parsed.invalid });
    });
  return result;
}

/** `"@jane"` or `"jane"` as an author: the handle is all the line says, so it is the id too. */
function authorFromHandle(value: string): AuthorInput {
  const bare = value.trim().replace(/^@/, '');
  return { id: bare || value, handle: `@${bare || value}` };
}
