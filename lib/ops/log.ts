import 'server-only';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { requestContext } from './request-context';

const KEY = Symbol.for('wecom-sidebar.logger');

function create(): Logger {
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written while answering a request carries that request's id.
    mixin: () => {
      const id = requestContext()?.requestId;
      return id ? { reqId: id } : {};
    },
  };
  if (process.env.NODE_ENV === 'production' || process.env.LOG_FORMAT === 'json') return pino(options);
  // Development: human-readable lines (pino-pretty as a stream, no worker thread).
  return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' }));
}

/**
 * The app's logger: JSON lines in production, pretty lines in development. Messages and fields must never carry
 * secrets, tokens, tickets, codes, cookies or customers' mobiles: log ids, names of things and error codes.
 */
export function logger(): Logger {
  const holder = globalThis as { [KEY]?: Logger };
  holder[KEY] ??= create();
  return holder[KEY];
}
