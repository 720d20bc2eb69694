import { useEffect, useState, useSyncExternalStore } from 'react';
import { describeMediaError } from '../prejoin/use-media-devices.js';
import type { DeviceAccess, MeetingFlow, MeetingFlowState } from './meeting-flow.js';

/** The flow's state; the component re-renders when it moves. */
export function useMeetingFlowState(flow: MeetingFlow): MeetingFlowState {
  return useSyncExternalStore(flow.subscribe, flow.getState);
}

/** Makes the screen's flow once and holds it while the screen is mounted (see MeetingFlow.retain). */
export function useMeetingFlow(create: () => MeetingFlow): MeetingFlow {
  const [flow] = useState(create);
  useEffect(() => flow.retain(), [flow]);
  return flow;
}

/** This browser's camera and microphone. */
export function browserDevices(): DeviceAccess {
  const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  return {
    open: media?.getUserMedia ? (constraints) => media.getUserMedia(constraints) : null,
    describeError: describeMediaError,
  };
}
