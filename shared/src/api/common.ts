import { z } from 'zod';

export const IdSchema = z.uuid();
export const EmailSchema = z.email().max(254).transform((email) => email.toLowerCase());
export const DisplayNameSchema = z.string().trim().min(1).max(100);
