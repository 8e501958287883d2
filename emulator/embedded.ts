import { createEmulator, type Emulator } from './core';

const KEY = Symbol.for('wecom-sidebar.embedded-emulator');
type Holder = { [KEY]?: { emulator: Emulator; base: string; callbackSet?: boolean } };

/** Loopback aliases: a page opened on 127.0.0.1 instead of localhost is the same machine. */
function trustedHosts(appBaseUrl: string): string[] {
  const { host, hostname, port } = new URL(appBaseUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  if (!loopback.includes(hostname)) return [host];
  return [host, ...loopback.filter((h) => h !== hostname).map((h) => (port ? `${h}:${port}` : h))];
}

/** Emulator mounted inside the app (demo mode): one instance per process, shared by every route bundle. */
export function getEmbeddedEmulator(appBaseUrl: string): Emulator {
  const holder = globalThis as Holder;
  const base = appBaseUrl.replace(/\/$/, '');
  if (!holder[KEY] || holder[KEY].base !== base) {
    holder[KEY] = {
      base,
      emulator: createEmulator({ publicBaseUrl: base, trustedDomains: trustedHosts(base) }),
    };
  }
  return holder[KEY].emulator;
}

/** The demo app's callback settings, applied until changed through the control API. */
export interface EmbeddedCallback {
  agentId: string;
  url: string;
  token: string;
  encodingAesKey: string;
}

export function handleEmbedded(
  req: Request,
  appBaseUrl: string,
  callback?: EmbeddedCallback,
): Promise<Response> {
  const emulator = getEmbeddedEmulator(appBaseUrl);
  const holder = globalThis as Holder;
  if (callback && !holder[KEY]!.callbackSet) {
    holder[KEY]!.callbackSet = true;
    const { agentId, ...settings } = callback;
    emulator.state.appCallbacks[agentId] ??= settings;
  }
  return emulator.handle(req);
}
