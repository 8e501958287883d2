import { startEmulator } from './server';

function usage(): never {
  console.error(
    'Usage: tsx emulator/cli.ts [--port 4100] [--host 127.0.0.1] [--trusted-domain host:port]...',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let port = 4100;
let host = '127.0.0.1';
const trustedDomains: string[] = [];
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
  const value = () => inline ?? args[++i] ?? usage();
  if (flag === '--port') port = Number(value());
  else if (flag === '--host') host = value();
  else if (flag === '--trusted-domain') trustedDomains.push(value());
  else if (flag === '--help' || flag === '-h') usage();
  else usage();
}
if (!Number.isInteger(port) || port < 0 || port > 65535) usage();
if (trustedDomains.length === 0) trustedDomains.push('localhost:3000');

const running = await startEmulator({ port, host, trustedDomains });
console.log(`WeCom emulator listening on ${running.url}`);
console.log(`Trusted domains: ${trustedDomains.join(', ')}`);
console.log(`Control API: ${running.url}/wecom-emulator/state`);

const stop = () => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
