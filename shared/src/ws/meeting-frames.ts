/**
 * Meeting frames (WebRTC signaling, join/leave, participants, host mute/remove).
 * OWNED BY THE MEETINGS MODULE: the chat/gateway side only spreads these arrays into the unions in
 * `frames.ts`. Add `z.object({ type: z.literal('rtc.signal'), ... })` schemas to the arrays (keep
 * `as const`); every client frame added here then needs a handler in the gateway's meeting
 * handler map, or the typecheck fails (see backend/src/realtime/gateway.ts).
 */
export const meetingClientFrames = [] as const;
export const meetingServerFrames = [] as const;
