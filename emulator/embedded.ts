import { createEmulator, type Emulator } from './core';

const KEY = Symbol.for('wecom-sidebar.embedded-emulator');
type Holder = { [KEY]?: { emulator: Emulator; base: string } };

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

export function handleEmbedded(req: Request, appBaseUrl: string): Promise<Response> {
  return getEmbeddedEmulator(appBaseUrl).handle(req);
}
