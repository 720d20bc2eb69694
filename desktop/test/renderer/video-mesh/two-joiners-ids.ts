/** The two participants of two-joiners-page.ts (Alice's id sorts first, so Bob is the polite one). */
export const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
export const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';
export type Who = typeof ALICE | typeof BOB;
