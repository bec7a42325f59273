import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { fanoutChannel, type FanoutMessage } from './fanout';
import type { RealtimeHost } from './realtime-host';

/** Subscribes a worker's RealtimeHost to the cluster's realtime channel. Returns a function that stops it. */
export async function startFanout(redisUrl: string, namespace: string, host: RealtimeHost, logger: Logger): Promise<() => void> {
  const subscriber = new Redis(redisUrl, { lazyConnect: true });
  subscriber.on('error', (error) => logger.warn({ err: error }, 'realtime redis connection error'));
  await subscriber.connect();
  subscriber.on('message', (_channel, text) => {
    let message: FanoutMessage;
    try {
      message = JSON.parse(text);
    } catch {
      logger.warn('ignored a realtime message that is not JSON');
      return;
    }
    host.deliver(message);
  });
  await subscriber.subscribe(fanoutChannel(namespace));
  return () => subscriber.disconnect();
}
