import type { RawData } from 'ws';
import type { ClientFrame, FrameErrorCode } from '@collaro/shared';
import type { DomainErrorCode } from '../domain-errors.js';

/** Reading client frames: text, cost and a reference for answers, before and without validation. */

/** The one place a refusal from the policy or a service becomes an `error` frame's code. */
export const DOMAIN_ERROR_TO_FRAME_CODE: Record<DomainErrorCode, FrameErrorCode> = {
  bad_request: 'invalid_frame',
  validation_failed: 'invalid_frame',
  payload_too_large: 'invalid_frame',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  auth_provider_mismatch: 'conflict',
  rate_limited: 'rate_limited',
  service_unavailable: 'invalid_frame',
};

export function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * What a frame costs in frame tokens: one, plus more for frames whose work grows with their size
 * (channels to resume, people whose presence to watch, long messages to store and fan out).
 */
export function frameCost(frame: ClientFrame): number {
  switch (frame.type) {
    case 'resume':
      return 1 + Math.ceil(frame.channels.length / 20);
    case 'presence.subscribe':
      return 1 + Math.ceil(frame.userIds.length / 100);
    case 'chat.send':
    case 'chat.edit':
      return 1 + Math.floor(frame.body.length / 4_000);
    default:
      return 1;
  }
}

/** The type and client id of a frame, read without validating it: enough for a refusal to say what it refuses. */
export function frameRef(text: string): { type?: string; clientId?: string } | undefined {
  try {
    const json = JSON.parse(text) as { type?: unknown; clientId?: unknown } | null;
    if (typeof json !== 'object' || json === null || typeof json.type !== 'string') return undefined;
    return { type: json.type.slice(0, 64), ...(typeof json.clientId === 'string' ? { clientId: json.clientId.slice(0, 64) } : {}) };
  } catch {
    return undefined;
  }
}
