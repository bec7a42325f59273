import type { PluginContext, WsHandler } from '@brickyard/sdk';

/** A plugin's websocket handler as the current generation offers it: with the plugin's scope. */
export interface MountedWsHandler {
  handler: WsHandler;
  /** The plugin's context (its scoped realtime is the handler's `context.realtime`). */
  plugin: PluginContext;
  /** Whether the plugin may subscribe a socket to `topic` (its own `<name>:…`, or granted). */
  mayUseTopic(topic: string): boolean;
}
