import type { RedisConnections } from '@brickyard/db';
import type { Logger } from 'pino';
import { fanoutChannel, type FanoutMessage } from './fanout';
import type { RealtimeHost } from './realtime-host';

/** Subscribes a worker's RealtimeHost to the cluster's realtime channel (on the process's shared subscriber). Returns a function that stops it. */
export async function startFanout(redis: RedisConnections, namespace: string, host: RealtimeHost, logger: Logger): Promise<() => Promise<void>> {
  return redis.subscribe(fanoutChannel(namespace), (text) => {
    let message: FanoutMessage;
    try {
      message = JSON.parse(text);
    } catch {
      logger.warn('ignored a realtime message that is not JSON');
      return;
    }
    host.deliver(message);
  });
}
