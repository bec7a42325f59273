export { RealtimeHost, type RealtimeLimits, type RealtimeHostOptions } from './realtime-host';
export { RealtimePublisher, fanoutChannel, fanoutPublication, type Audience, type FanoutMessage } from './fanout';
export { startFanout } from './realtime-fanout';
export type { MountedWsHandler } from './mounted-ws-handler';
export { parseFrame, encodeFrame, errorFrame, FrameError } from './protocol';
export { RealtimeClient, RealtimeError, type RealtimeClientOptions } from './client/realtime-client';
export { SocketOwners } from './socket-owners';
