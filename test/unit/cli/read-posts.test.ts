import { describe, expect, it } from 'vitest';
import { parseLine, readPosts } from '../../../bin/send/read-posts.ts';

describe('reading posts for redress send', () => {
  it('takes a plain-text line as the whole post, trimmed, with nothing else filled in yet', () => {
    expect(parseLine('  Flight RA 214 delayed 4 hours, still at the gate  ')).toEqual({ post: { text: 'Flight RA 214 delayed 4 hours, still at the gate' } });
  });

  it('reads a JSON line with its id, author, time and language', () => {
    const line = JSON.stringify({
      id: 'tp-1',
      text: 'My bag never arrived in Lisbon',
      author: { id: 'u1', handle: '@jane', name: 'Jane' },
      createdAt: '2026-11-22T09:59:00Z',
      language: 'en',
    });
    expect(parseLine(line)).toEqual({
      post: { id: 'tp-1', text: 'My bag never arrived in Lisbon', author: { id: 'u1', handle: '@jane', name: 'Jane' }, createdAt: '2026-11-22T09:59:00Z', language: 'en' },
    });
  });

  it('reads the post a line answers (inReplyTo), as text or a number, and refuses an empty one', () => {
    expect(parseLine('{"text": "here is my booking ref", "inReplyTo": "agent-reply-1"}')).toEqual({ post: { text: 'here is my booking ref', inReplyTo: 'agent-reply-1' } });
    expect(parseLine('{"text": "[image]", "inReplyTo": 42}')).toEqual({ post: { text: '[image]', inReplyTo: '42' } });
    expect(parseLine('{"text": "[image]", "inReplyTo": ""}')).toEqual({ invalid: expect.stringContaining('inReplyTo') });
  });

  it('accepts an author given as a handle, a numeric id, and keys it does not know', () => {
    expect(parseLine('{"id": 42, "text": "Cold meal again", "author": "@jane", "rating": 1}')).toEqual({
      post: { id: '42', text: 'Cold meal again', author: { id: 'jane', handle: '@jane' } },
    });
  });

  it('reports a line that starts like JSON but does not parse, instead of sending it as text', () => {
    const parsed = parseLine('{"text": "unterminated');
    expect(parsed).toEqual({ invalid: expect.stringMatching(/^not valid JSON: /) });
    // The reason never repeats the input, which may be a customer's words.
    expect(JSON.stringify(parsed)).not.toContain('unterminated');
  });

  it('reports a JSON line without text, or with a malformed time, naming the field', () => {
    expect(parseLine('{"id": "a"}')).toEqual({ invalid: expect.stringContaining('text') });
    expect(parseLine('{"text": "late", "createdAt": "yesterday"}')).toEqual({ invalid: expect.stringContaining('createdAt') });
    expect(parseLine('{"text": ""}')).toEqual({ invalid: expect.stringContaining('text') });
  });

  it('numbers invalid lines as a person counts them, blank lines included, and skips the blank ones', () => {
    const input = '\uFEFFfirst post\r\n\r\n{"text": 3}\n   \n{"text":"fourth"}\n{oops\n';
    expect(readPosts(input)).toEqual({
      posts: [{ text: 'first post' }, { text: 'fourth' }],
      invalid: [
        { line: 3, reason: expect.stringContaining('text') },
        { line: 6, reason: expect.stringMatching(/^not valid JSON/) },
      ],
    });
  });

  it('reads a line that only mentions braces later as plain text', () => {
    expect(parseLine('Refund {still} pending after 6 weeks')).toEqual({ post: { text: 'Refund {still} pending after 6 weeks' } });
  });
});
