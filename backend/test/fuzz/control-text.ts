import fc from 'fast-check';

/**
 * Characters text rules are about: NUL and the other C0 controls, DEL, C1 controls (NEL, CSI),
 * the Unicode line and paragraph separators, and the tab and line breaks multi-line text keeps.
 */
export const CONTROL_CHARACTERS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\t',
  '\n',
  '\u000b',
  '\u000c',
  '\r',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009b',
  '\u009f',
  '\u2028',
  '\u2029',
];

/** Single-line text refuses every character above; multi-line text keeps tab, LF and CR. */
export const REFUSED_IN_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Ordinary text with control characters mixed in (at least one, anywhere, NUL most often). */
export const controlLacedText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }), fc.constantFrom(...CONTROL_CHARACTERS)), { maxLength: 12 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant('\u0000') }, { weight: 5, arbitrary: fc.constantFrom(...CONTROL_CHARACTERS) }),
    fc.nat(),
  )
  .map(([parts, control, at]) => {
    parts.splice(at % (parts.length + 1), 0, control);
    return `x${parts.join('')}`;
  });
