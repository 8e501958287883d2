/** The WebSocket client that playwright-core bundles (Node 20 has no global WebSocket without a flag). */
declare module 'playwright-core/lib/utilsBundle' {
  export const ws: new (url: string) => {
    on(event: 'open' | 'message' | 'error', fn: (data?: unknown) => void): void;
    send(data: string): void;
    close(): void;
  };
}
