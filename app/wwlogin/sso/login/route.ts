// Demo mode only (see app/emulator-route.ts); 404 in live mode.
export const dynamic = 'force-dynamic';
export { emulatorRoute as GET, emulatorRoute as POST } from '@/app/emulator-route';
