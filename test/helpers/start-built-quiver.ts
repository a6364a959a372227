/**
 * Kept for the benches and tests written against this name: startQuiver already runs the server
 * of the build it was compiled into (see quiver-process.ts).
 */
export {
  builtQuiverLauncher,
  type QuiverProcess,
  type StartOptions as BuiltStartOptions,
  startQuiver as startBuiltQuiver,
} from './quiver-process.js';
