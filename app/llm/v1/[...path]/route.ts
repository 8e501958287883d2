// Demo mode only: the emulated OpenAI-compatible model (emulator/llm.ts); 404 in live mode.
export const dynamic = 'force-dynamic';
export { emulatorRoute as GET, emulatorRoute as POST } from '@/app/emulator-route';
