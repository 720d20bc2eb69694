/**
 * The baseline for bench/join-time: a bare RTCPeerConnection call between two pages, with offer,
 * answer and trickled candidates carried by the benchmark process instead of Collaro's gateway.
 * No API, no policy, no rooms: the floor a 1:1 WebRTC call cannot go under on this machine.
 */
type Message = { kind: 'description'; description: RTCSessionDescriptionInit } | { kind: 'candidate'; candidate: RTCIceCandidateInit | null };

declare global {
  interface Window {
    bare: typeof bare;
    /** Exposed by the benchmark: hands a message to the other page. */
    relay(message: Message): Promise<void>;
  }
}

let pc: RTCPeerConnection | null = null;
let stream: MediaStream | null = null;
let startedAt: number | null = null;
let firstFrameAt: number | null = null;
/** The same steps the mesh page times (see mesh-test-page.ts), for the calling side. */
const milestones: Record<string, number> = {};
function milestone(what: string) {
  if (startedAt !== null) milestones[what] ??= performance.now() - startedAt;
}
/** When each description left or arrived, on the clock both pages share (see room-page.ts). */
const signalTimes: Record<string, number> = {};
function signalStep(step: string) {
  signalTimes[step] ??= performance.timeOrigin + performance.now();
}

function connect() {
  const connection = new RTCPeerConnection({ iceServers: [] });
  for (const track of stream!.getTracks()) connection.addTrack(track, stream!);
  connection.onconnectionstatechange = () => {
    if (connection.connectionState === 'connected') milestone('connected');
  };
  connection.onicecandidate = ({ candidate }) => void window.relay({ kind: 'candidate', candidate: candidate ? candidate.toJSON() : null });
  connection.ontrack = ({ track }) => {
    if (track.kind !== 'video') return;
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = new MediaStream([track]);
    document.body.append(video);
    video.requestVideoFrameCallback(() => {
      firstFrameAt ??= performance.now();
      milestone('first remote frame');
    });
    void video.play().catch(() => {});
  };
  pc = connection;
  return connection;
}

const bare = {
  async prepareMedia() {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: true });
  },
  /** The joining side: starts the clock and makes the offer. */
  async start() {
    startedAt = performance.now();
    const connection = connect();
    await connection.setLocalDescription(await connection.createOffer());
    milestone('offer sent');
    signalStep('offer sent');
    await window.relay({ kind: 'description', description: connection.localDescription!.toJSON() });
  },
  async receive(message: Message) {
    const connection = pc ?? connect();
    if (message.kind === 'description') {
      if (message.description.type === 'answer') milestone('answer received');
      signalStep(`${message.description.type} received`);
      await connection.setRemoteDescription(message.description);
      if (message.description.type === 'offer') {
        await connection.setLocalDescription(await connection.createAnswer());
        signalStep('answer sent');
        await window.relay({ kind: 'description', description: connection.localDescription!.toJSON() });
      }
    } else {
      await connection.addIceCandidate(message.candidate ?? undefined);
    }
  },
  startToFirstFrameMs() {
    return startedAt !== null && firstFrameAt !== null ? firstFrameAt - startedAt : null;
  },
  milestones: () => milestones,
  signalTimes: () => signalTimes,
  close() {
    pc?.close();
    for (const track of stream?.getTracks() ?? []) track.stop();
  },
};

window.bare = bare;
export {};
