import { z } from 'zod';

/**
 * What text people type may contain, declared once for every route and frame.
 *
 * Names and titles are one line: no control character at all (C0, DEL, C1) and no line or
 * paragraph separator. Message bodies and descriptions are several lines: tab, line feed and
 * carriage return stay, every other control character is refused. U+0000 in particular cannot be
 * stored in PostgreSQL text, and the others have no business in a chat message or a calendar.
 */
const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
const MULTI_LINE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$/;

/** Names the first refused character and where it is, so the person can find it. */
function refusal(allowed: RegExp, kind: string) {
  return (issue: { input?: unknown }) => {
    const text = typeof issue.input === 'string' ? issue.input : '';
    const index = [...text].findIndex((character) => !allowed.test(character));
    const character = index >= 0 ? [...text][index]! : '';
    const codePoint = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    return `must not contain ${kind} (found ${codePoint} at character ${index + 1})`;
  };
}

/** A name or title: trimmed, one line, between 1 and `max` characters. */
export function singleLineText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(SINGLE_LINE, { error: refusal(SINGLE_LINE, 'control characters or line breaks') });
}

/** Text of several lines (a message body, a description): tab and line breaks allowed. */
export function multiLineText(max: number) {
  return z
    .string()
    .max(max)
    .regex(MULTI_LINE, { error: refusal(MULTI_LINE, 'control characters other than tab and line breaks') });
}

/**
 * For names that arrive from elsewhere (an identity provider's profile) and cannot be sent back
 * for correction: control characters and line breaks become spaces.
 */
export function toSingleLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}
