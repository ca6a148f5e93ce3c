// The server layer's surface: the Hono app, listening on a socket, and in-process materialization.

export { createApp } from './app.js';
export { type LayoutResult, layoutGraph } from './layout.js';
export { type ListenOptions, type RunningServer, startServer, UnsafeBindError } from './listen.js';
export {
  type InProcessOptions,
  inProcessMaterializer,
  type MaterializeRequest,
  type RunMaterialization,
  type RunObserver,
} from './materialize.js';
export { isLoopbackHost, TOKEN_COOKIE } from './security.js';
export type { AppOptions } from './state.js';
