import type { Identity } from '@brickyard/sdk';
import type { IncomingMessage } from 'node:http';

/** Says who is behind an HTTP request or websocket upgrade. The accounts library replaces the default. */
export type IdentityResolver = (request: IncomingMessage) => Identity | Promise<Identity>;

export const anonymous: IdentityResolver = () => ({ userId: null });
