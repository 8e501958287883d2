// Demo mode only (see app/emulator-route.ts): WeCom's open-data SDK as the emulated client serves it; 404 in live mode.
export const dynamic = 'force-dynamic';
export { emulatorRoute as GET } from '@/app/emulator-route';
