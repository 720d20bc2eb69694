import { z } from 'zod';
import { singleLineText } from './text.js';

export const IdSchema = z.uuid();
export const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase());
/** A person's, organization's, team's or channel's name. */
export const DisplayNameSchema = singleLineText(100);
