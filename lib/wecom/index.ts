import 'server-only';
import { getConfig } from '../config';
import { getStore } from '../store';
import { corpSecretCredentials, createWecomClient, type WecomClient } from './client';

export { corpSecretCredentials, createWecomClient } from './client';
export type { CallOptions, CredentialProvider, RawRequest, WecomClient, WecomClientOptions } from './client';
export { WecomError, classify, isWecomError, userMessageFor, type WecomErrorKind } from './errors';
export { redact, redactUrl, redactValue } from './redact';

const globalClient = globalThis as typeof globalThis & { __wecomClient?: WecomClient };

/** The WeCom client of this process for the configured corp and app (kept across dev-server reloads). */
export function getWecom(): WecomClient {
  if (!globalClient.__wecomClient) {
    const config = getConfig();
    globalClient.__wecomClient = createWecomClient({
      apiBase: config.apiBase,
      corpId: config.corpId,
      agentId: config.agentId,
      credentials: corpSecretCredentials(config.corpId, config.agentSecret),
      store: getStore(),
    });
  }
  return globalClient.__wecomClient;
}
