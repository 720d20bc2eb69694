import { AUTH_TIMEOUT_MS, RESUME_REPLAY_LIMIT } from '@collaro/shared';

export interface RealtimeLimits {
  authTimeoutMs: number;
  /** Frames a user may send at once, and per second after that (shared by their connections, like every budget below). */
  rateBurst: number;
  ratePerSecond: number;
  /**
   * Frames refused with `rate_limited` that a user may keep sending (refilled at `ratePerSecond`);
   * past it the connection is not read for a while, since each refusal is work too.
   */
  maxRejectedFrames: number;
  /** Frames accepted and waiting for the ones before them; past it the client is told and disconnected. */
  maxQueuedFrames: number;
  /** Bytes queued for one client before it counts as a slow consumer and is disconnected. */
  maxBufferedBytes: number;
  /** Most missed events replayed per channel on resume. */
  resumeReplayLimit: number;
  /** Bytes of replayed history a user may be sent at once, and per second after that. */
  replayBurstBytes: number;
  replayBytesPerSecond: number;
  /** Connections a user may authenticate at once, and per second after that; past it the connection is closed. */
  connectBurst: number;
  connectsPerSecond: number;
}

export const DEFAULT_REALTIME_LIMITS: RealtimeLimits = {
  authTimeoutMs: AUTH_TIMEOUT_MS,
  rateBurst: 40,
  ratePerSecond: 20,
  maxRejectedFrames: 100,
  maxQueuedFrames: 64,
  maxBufferedBytes: 2 * 1024 * 1024,
  resumeReplayLimit: RESUME_REPLAY_LIMIT,
  replayBurstBytes: 2 * 1024 * 1024,
  replayBytesPerSecond: 256 * 1024,
  connectBurst: 20,
  connectsPerSecond: 1,
};
