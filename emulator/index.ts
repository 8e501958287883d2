export { createEmulator, type Emulator, type EmulatorOptions } from './core';
export { startEmulator, type RunningEmulator, type StartOptions } from './server';
export type { ClientContext, EmulatorState, Fault, Switches } from './state';
