export { MeshCall, type MeshCallEvents, type MeshCallOptions, type MeshCallState, type MeshSignaling, type RemoteParticipant } from './mesh-call.js';
export { PeerLink, type LocalTracks } from './peer-link.js';
export { PreparedOffer } from './prepared-offer.js';
