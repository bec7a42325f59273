export { RealtimeHost, setIdentityResolver, identify, type RealtimeLimits, type RealtimeHostOptions } from './realtime-host';
export { RealtimePublisher, fanoutChannel, fanoutPublication, type Audience, type FanoutMessage } from './fanout';
export { startFanout } from './realtime-fanout';
export { anonymous, type IdentityResolver } from './identity';
export { parseFrame, encodeFrame, errorFrame, FrameError, type ErrorCode } from './protocol';
export { RealtimeClient, RealtimeError, type RealtimeClientOptions } from './client/realtime-client';
